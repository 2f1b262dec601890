namespace Lpp.Inference.Tests;

public sealed class ConceptFileTests
{
    [Fact]
    public void ParseJson_KeepsTheOrder()
    {
        var concepts = ConceptFile.ParseJson("""{"nudity": {"name": "Nudity", "definition": "Exposed genitals."}, "spam": {"definition": "Unsolicited ads."}}""");

        Assert.Equal([new Concept("nudity", "Nudity", "Exposed genitals."), new Concept("spam", "spam", "Unsolicited ads.")], concepts);
    }

    [Fact]
    public void ParseYaml_SameMapping()
    {
        var concepts = ConceptFile.ParseYaml("nudity:\n  name: Nudity\n  definition: Exposed genitals.\n");

        Assert.Equal([new Concept("nudity", "Nudity", "Exposed genitals.")], concepts);
    }

    [Theory]
    [InlineData("""{"a": {"name": "A"}}""", "concept 'a' has no definition")]
    [InlineData("""{"a/b": {"definition": "d"}}""", "concept key 'a/b' must be non-empty and contain no '/'")]
    [InlineData("[]", "expected an object mapping concept keys to {name, definition}")]
    [InlineData("{}", "the file defines no concept")]
    public void ParseJson_Malformed_SaysWhy(string json, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => ConceptFile.ParseJson(json)).Message);
}

using System.Text;

namespace Lpp.Serving.Tests;

public sealed class ApiKeysTests
{
    [Fact]
    public void Find_KeyInFile_ReturnsItsNameAndScopes()
    {
        // Given a keys file holding the SHA-256 of "secret"
        var keys = ApiKeys.Parse(Encoding.UTF8.GetBytes($$"""{"keys": [{"name": "ci", "sha256": "{{ApiKeys.Hash("secret").ToUpperInvariant()}}", "scopes": ["route", "admin"]}]}"""));

        // When keys are looked up, then only the right text finds it, with its scopes
        Assert.Equal(new ApiKey("ci", ApiScope.Route | ApiScope.Admin), keys.Find("secret"));
        Assert.Null(keys.Find("Secret"));
        Assert.Equal("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", ApiKeys.Hash("secret"));
    }

    [Theory]
    [InlineData("[]", "expected {\"keys\"")]
    [InlineData("{\"keys\": [{\"sha256\": \"00\", \"scopes\": []}]}", "keys[0].name must be a non-empty string")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"00\", \"scopes\": []}]}", "keys[0].sha256 must be 64 hex digits")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": [\"root\"]}]}", "keys[0].scopes: 'root' is not one of route, review, admin")]
    public void Parse_Malformed_NamesTheField(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => ApiKeys.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}

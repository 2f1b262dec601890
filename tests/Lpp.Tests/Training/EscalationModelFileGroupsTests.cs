using System.Text;
using System.Text.Json.Nodes;

namespace Lpp.Tests;

public sealed partial class EscalationModelFileTests
{
    private static EscalationModel GroupedHandModel() =>
        HandModels.Linear(["topk_msp", "logodds_margin", "label_logodds_margin", "verbalized_confidence"], [0.3, 2, -1.5, 1], [0, 0, 0, 0], tau: 0.5)
            .WithContributionGroups(new ContributionGroups(0.95, [new ContributionGroup("margin", ["logodds_margin", "label_logodds_margin"], [1, -1])]));

    [Fact]
    public void Load_ContributionGroups_RoundTrip()
    {
        // Given a hand model whose two margins form one contribution group
        var model = GroupedHandModel();
        using var stream = new MemoryStream();
        EscalationModelFile.Write(model, stream, Created);
        var text = Encoding.UTF8.GetString(stream.ToArray());

        // When it is read back
        var loaded = EscalationModelFile.Parse(stream.ToArray());

        // Then the section is in the file under its documented names, and the group comes back whole
        Assert.Contains("\"contribution_groups\": {", text, StringComparison.Ordinal);
        Assert.Contains("\"duplicate_correlation\": 0.95", text, StringComparison.Ordinal);
        var group = Assert.Single(loaded.ContributionGroups!.Groups);
        Assert.Equal(("margin", 0.95), (group.Name, loaded.ContributionGroups.DuplicateCorrelation));
        Assert.Equal(["logodds_margin", "label_logodds_margin"], group.Members);
        Assert.Equal([1, -1], group.Signs);
        Assert.Equal(EscalationModelFile.Checksum(model), EscalationModelFile.Checksum(loaded));
    }

    [Fact]
    public void Load_FileWithoutContributionGroups_HasNone()
    {
        // Given a file written before contribution groups existed (release 0b18dab), and a model written without them
        var older = EscalationModelFile.Load(ReleaseFixture);
        using var stream = new MemoryStream();
        EscalationModelFile.Write(HandModels.Verbalized(0.5), stream, Created);

        // Then neither has groups (contributions are reported per feature), and none is written
        Assert.Null(older.ContributionGroups);
        Assert.Null(EscalationModelFile.Parse(stream.ToArray()).ContributionGroups);
        Assert.DoesNotContain("contribution_groups", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("members", "[\"logodds_margin\", \"topk_ratio\"]", "contribution_groups: group 'margin' names 'topk_ratio', a feature the model does not read")]
    [InlineData("members", "[\"logodds_margin\"]", "contribution_groups: contribution group 'margin' needs at least two distinct members (got logodds_margin)")]
    [InlineData("signs", "[1, 0]", "contribution_groups: contribution group 'margin' needs one sign, +1 or -1, per member")]
    [InlineData("signs", "[1, 1.5]", "contribution_groups: group 'margin': a sign is not +1 or -1")]
    [InlineData("name", "\"\"", "contribution_groups: a contribution group needs a name")]
    [InlineData("name", "7", "contribution_groups: field 'name' is missing or not a string")]
    public void Load_BadContributionGroup_IsRefusedOnOneLine(string field, string json, string reason)
    {
        // Given the grouped file with one field of its group changed by hand and its checksum recomputed, so only the
        // section's own checks stand between the edit and the router
        using var stream = new MemoryStream();
        EscalationModelFile.Write(GroupedHandModel(), stream, Created);
        var node = JsonNode.Parse(stream.ToArray())!.AsObject();
        node["contribution_groups"]!["groups"]![0]![field] = JsonNode.Parse(json);
        node["checksum"] = IndependentChecksum(node);

        // When it is read, then it is refused naming the section and what is wrong
        var e = Assert.Throws<ModelFileException>(() => EscalationModelFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString())));
        Assert.Equal($"invalid model: {reason}", e.Message);
    }
}

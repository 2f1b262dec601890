using System.Text;
using System.Text.Json;

namespace Lpp.Tests;

public sealed class RoutingDecisionJsonTests
{
    [Fact]
    public void Write_GroupedContribution_WritesTheGroupLabelTermAndMembers()
    {
        // Given a decision whose contributions are a group of two features and a feature on its own
        var decision = new RoutingDecision
        {
            Id = "a",
            Queue = Queues.Auto,
            Trust = true,
            Contributions =
            [
                new FeatureContribution("margin (logodds_margin, label_logodds_margin)", 0.5, ["logodds_margin", "label_logodds_margin"]),
                new FeatureContribution("topk_msp", -0.25, ["topk_msp"]),
            ],
        };
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, RoutingDecisionJson.WriterOptions))
        {
            RoutingDecisionJson.Write(writer, decision);
        }

        // When it is written, then each contribution is {"feature", "linear_term", "members"} in that order
        var json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"contributions\":[{\"feature\":\"margin (logodds_margin, label_logodds_margin)\",\"linear_term\":0.5,\"members\":[\"logodds_margin\",\"label_logodds_margin\"]},{\"feature\":\"topk_msp\",\"linear_term\":-0.25,\"members\":[\"topk_msp\"]}]", json, StringComparison.Ordinal);
    }
}

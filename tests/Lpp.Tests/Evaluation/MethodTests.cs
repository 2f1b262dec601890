namespace Lpp.Tests;

public sealed class MethodTests
{
    [Fact]
    public void Parse_EveryKnownNameAndEveryRecipe_RoundTrips()
    {
        // Given every method an evaluation or experiment reports, and a model of each recipe
        Method[] all = [.. Evaluator.Methods, .. Enum.GetValues<Recipe>().Select(Method.Trained)];

        // When each name is parsed back, then it is the same method, and the names are the ones files use
        Assert.All(all, m => Assert.Equal(m, Method.Parse(m.Name)));
        Assert.Equal(["always_trust", "msp", "top2_margin", "entropy", "verbalized", "meta_model", "default", "paper"], all.Select(m => m.Name));
        Assert.Equal(Recipe.Paper, Method.Parse("paper").Recipe);
        Assert.Equal(MethodKind.Recipe, Method.Parse("paper").Kind);
    }

    [Fact]
    public void Parse_UnknownName_ThrowsListingTheNames()
    {
        var e = Assert.Throws<FormatException>(() => Method.Parse("meta-model"));
        Assert.Equal("method 'meta-model' is not one of always_trust, msp, top2_margin, entropy, verbalized, meta_model, default, paper", e.Message);
    }

    [Fact]
    public void Signals_MatchTheBaselinesTheTrainerThresholds()
    {
        Assert.Equal(Method.Signals, BaselineThreshold.Signals.Select(b => b.Method));
        Assert.All(Method.Signals, s => Assert.Equal(MethodKind.Signal, s.Kind));
    }
}

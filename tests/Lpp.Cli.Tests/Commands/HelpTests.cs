namespace Lpp.Cli.Tests;

/// <summary>The help text is a contract: checked in, with required options marked and the defaults the code uses.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("lpp")]
    [InlineData("route")]
    [InlineData("train")]
    [InlineData("explain")]
    [InlineData("evaluate")]
    public void Help_MatchesTheCheckedInText(string command)
    {
        // After a deliberate change: ./lpp [command] --help > tests/Lpp.Cli.Tests/Expected/<command>-help.txt
        var run = command == "lpp" ? LppProcess.Run("--help") : LppProcess.Run(command, "--help");

        Assert.Equal(0, run.ExitCode);
        var expected = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "Lpp.Cli.Tests", "Expected", $"{command}-help.txt"));
        Assert.Equal(expected.ReplaceLineEndings("\n").TrimEnd(), run.StdOut.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void TrainHelp_ShowsTheDefaultsOfTheOptionTypes()
    {
        // Given the defaults as the library defines them (one source)
        var trainer = new EscalationTrainerOptions();
        var features = new LppFeatureOptions();

        // When train's help is printed
        var help = LppProcess.Run("train", "--help").StdOut;

        // Then each option's line shows that default
        Assert.Contains($"[default: {trainer.Seed}]", Line(help, "--seed"), StringComparison.Ordinal);
        Assert.Contains($"[default: {trainer.Folds}]", Line(help, "--folds"), StringComparison.Ordinal);
        Assert.Contains($"[default: {features.TopK}]", Line(help, "--top-k"), StringComparison.Ordinal);
        Assert.Contains($"[default: {CostModel.Default.CReview.ToString(System.Globalization.CultureInfo.InvariantCulture)}]", Line(help, "--cost-review"), StringComparison.Ordinal);
    }

    [Fact]
    public void RouteHelp_MarksTheRequiredOptions()
    {
        var help = LppProcess.Run("route", "--help").StdOut;

        Assert.Contains("(REQUIRED)", Line(help, "--model"), StringComparison.Ordinal);
        Assert.Contains("(REQUIRED)", Line(help, "--input"), StringComparison.Ordinal);
        Assert.Contains("(REQUIRED)", Line(help, "--output"), StringComparison.Ordinal);
        Assert.DoesNotContain("(REQUIRED)", Line(help, "--rejects"), StringComparison.Ordinal);
    }

    private static string Line(string help, string option) =>
        help.Split('\n').Single(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
}

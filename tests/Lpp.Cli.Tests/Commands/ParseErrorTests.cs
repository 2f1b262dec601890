namespace Lpp.Cli.Tests;

/// <summary>Command-line mistakes get one plain line: what is expected, and the closest option for a misspelt one.</summary>
public sealed class ParseErrorTests
{
    [Fact]
    public void Route_MisspeltOption_SuggestsTheClosest()
    {
        var run = LppProcess.Run("route", "--mdoel", "m.json");

        LppProcess.AssertUserError(run, "unknown option '--mdoel' for lpp route (did you mean --model?)");
    }

    [Fact]
    public void MisspeltCommand_SuggestsTheClosest()
    {
        var run = LppProcess.Run("trian");

        LppProcess.AssertUserError(run, "unknown argument 'trian' for lpp (did you mean train?)");
    }

    [Fact]
    public void Features_NonNumericTopK_SaysAWholeNumberIsExpected()
    {
        var run = LppProcess.Run("features", "--input", "x.jsonl", "--output", "x.csv", "--top-k", "abc");

        LppProcess.AssertUserError(run, "--top-k abc: must be a whole number");
    }
}

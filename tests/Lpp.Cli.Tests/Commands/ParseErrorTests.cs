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

        LppProcess.AssertUserError(run, "--top-k abc: must be a whole number from 1 to 20");
    }

    [Theory]
    [InlineData("serve --model m.json --store bogus", "--store bogus: must be one of sqlite, postgres")]
    [InlineData("train --input a.jsonl --output m.json --recipe bogus", "--recipe bogus: must be one of default, paper")]
    public void ValueNotAmongTheChoices_NamesTheOptionAndTheChoicesInOneLine(string args, string expected)
    {
        var run = LppProcess.Run(args.Split(' '));

        LppProcess.AssertUserError(run, expected);
    }

    [Fact]
    public void Features_TopKOutOfRange_SaysTheRange()
    {
        var run = LppProcess.Run("features", "--input", "x.jsonl", "--output", "x.csv", "--top-k", "30");

        LppProcess.AssertUserError(run, "--top-k 30: must be a whole number from 1 to 20");
    }

    [Fact]
    public void Route_NoOptions_NamesEveryMissingOptionInOneLine()
    {
        var run = LppProcess.Run("route");

        LppProcess.AssertUserError(run, "--model, --input and --output are required (see lpp route --help)");
    }

    [Fact]
    public void Route_MissingOutput_SaysItIsRequired()
    {
        var run = LppProcess.Run("route", "--model", "m.json", "--input", "x.jsonl");

        LppProcess.AssertUserError(run, "--output is required (see lpp route --help)");
    }

    [Fact]
    public void Train_ReviewCostingMoreThanAnError_IsRefusedInOneLine()
    {
        // c_review 2 >= c_error 1 would give tau = 1 - 2/2 = 0: trust everything (closed form)
        var run = LppProcess.Run("train", "--input", "x.jsonl", "--output", "m.json", "--cost-review", "2");

        LppProcess.AssertUserError(run, "cost-review must be less than cost-error (got 2 and 1)");
    }
}

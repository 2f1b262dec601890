namespace Lpp.Serving.Tests;

public sealed class ReviewCapacityTests
{
    [Fact]
    public void Parse_IssueExample_ReadsEachQueue()
    {
        var capacity = ReviewCapacity.Parse("review=600/h,senior_review=60/h");

        Assert.Equal(600, capacity.PerHour["review"]);
        Assert.Equal(60, capacity.PerHour["senior_review"]);
        Assert.Equal("review=600/h,senior_review=60/h", capacity.ToString());
    }

    [Theory]
    [InlineData("review=abc", "'review=abc': the rate must be per hour, N/h")]
    [InlineData("review=abc/h", "'review=abc/h': the rate must be a whole number of items of at least 1 per hour")]
    [InlineData("review=-1/h", "'review=-1/h': the rate must be a whole number of items of at least 1 per hour")]
    [InlineData("review=0/h", "'review=0/h': the rate must be a whole number of items of at least 1 per hour")]
    [InlineData("review=1.5/h", "'review=1.5/h': the rate must be a whole number")]
    [InlineData("review=600", "'review=600': the rate must be per hour, N/h")]
    [InlineData("review=600/d", "'review=600/d': the rate must be per hour")]
    [InlineData("review=600/h,review=60/h", "'review=60/h': queue 'review' is given twice")]
    [InlineData("reviews=600/h", "'reviews=600/h': unknown queue 'reviews' (the escalation queues are review, senior_review, policy_review)")]
    [InlineData("audit=10/h", "unknown queue 'audit'")]
    [InlineData("auto=10/h", "unknown queue 'auto'")]
    [InlineData("review", "'review' is not QUEUE=N/h")]
    [InlineData("", "'' is not QUEUE=N/h")]
    [InlineData("review=600/h,", "'' is not QUEUE=N/h")]
    public void Parse_Malformed_OneLineNamingTheEntry(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => ReviewCapacity.Parse(text));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("review=abc", "--capacity 'review=abc': the rate must be per hour")]
    [InlineData("review=600/h,review=60/h", "--capacity 'review=60/h': queue 'review' is given twice")]
    [InlineData("triage=5/h", "--capacity 'triage=5/h': unknown queue 'triage'")]
    public void Serve_BadCapacity_OneLineExitTwo(string value, string message)
    {
        using var dir = new TempDir();

        var run = LppProcess.Run("serve", "--model", ServeTestData.ModelA, "--db", dir.File("audit.db"), "--urls", "http://127.0.0.1:0", "--capacity", value);

        LppProcess.AssertUserError(run, message);
    }
}

namespace Lpp.Cli.Tests;

public sealed class FailuresTests
{
    [Fact]
    public void Describe_UnexpectedException_IsOneLinePointingToVerbose()
    {
        // Given an exception no command foresaw, with a message over two lines
        var e = new InvalidOperationException("something broke\nin two lines");

        // When it is described on a default run, and with --verbose
        var line = Failures.Describe(e, "route", verbose: false);
        var details = Failures.Describe(Thrown(e), "route", verbose: true);

        // Then the default is one line with the type, the message and the pointer; --verbose has the stack trace
        Assert.Equal("lpp: unexpected failure in route: InvalidOperationException: something broke in two lines (details in --verbose)", line);
        Assert.Contains("   at ", details, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_IoException_KeepsItsMessageOnOneLine()
    {
        var line = Failures.Describe(new IOException("Failed to bind to address http://127.0.0.1:5080: address already in use."), "serve", verbose: false);

        Assert.Equal("lpp: serve: Failed to bind to address http://127.0.0.1:5080: address already in use. (details in --verbose)", line);
    }

    private static Exception Thrown(Exception e)
    {
        try
        {
            throw e;
        }
        catch (InvalidOperationException caught)
        {
            return caught;
        }
    }
}

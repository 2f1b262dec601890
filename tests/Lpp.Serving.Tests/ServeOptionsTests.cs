namespace Lpp.Serving.Tests;

public sealed class ServeOptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        // Given options with only the model set
        var options = new ServeOptions { ModelPath = "m.json" };

        // Then the defaults are loopback, audit.db, 8 MiB, 10,000 records, no rate limit, watching the model
        Assert.Equal("http://127.0.0.1:5080", options.Urls);
        Assert.Equal("audit.db", options.DatabasePath);
        Assert.Null(options.ApiKeysPath);
        Assert.Equal(8L * 1024 * 1024, options.MaxBodyBytes);
        Assert.Equal(10_000, options.MaxBatchRecords);
        Assert.Equal(0, options.RateLimit);
        Assert.Equal(1, options.EffectiveBurst);
        Assert.True(options.WatchModel);
        Assert.Equal(AuditStoreKind.Sqlite, options.Store);
        Assert.Null(options.PostgresConnection);
        Assert.Equal(AuditDurability.Full, options.Durability);
        options.Validate();
    }

    [Theory]
    [InlineData(100L, 1, 0.0, null, "--max-body-bytes must be from 1024 to 1073741824 (got 100)")]
    [InlineData(1023L, 1, 0.0, null, "--max-body-bytes must be from 1024 to 1073741824 (got 1023)")]
    [InlineData(1073741825L, 1, 0.0, null, "--max-body-bytes must be from 1024 to 1073741824 (got 1073741825)")]
    [InlineData(4096L, 0, 0.0, null, "--max-batch must be at least 1 (got 0)")]
    [InlineData(4096L, 1, -1.0, null, "--rate-limit must be a number >= 0 (got -1)")]
    [InlineData(4096L, 1, 5.0, 0.5, "--rate-burst must be a number >= 1 (got 0.5)")]
    public void Validate_OutOfRange_MessageNamesTheOptionAndRange(long body, int batch, double rate, double? burst, string message)
    {
        // Given an out-of-range option
        var options = new ServeOptions { ModelPath = "m.json", MaxBodyBytes = body, MaxBatchRecords = batch, RateLimit = rate, RateBurst = burst };

        // When validated, then the message names it
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024L)]
    [InlineData(1L << 30)]
    public void Validate_MaxBodyBytesAtEitherEnd_IsAccepted(long body) =>
        new ServeOptions { ModelPath = "m.json", MaxBodyBytes = body }.Validate();
}

namespace Lpp.Inference.Tests;

public sealed class DefaultsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var decoding = new DecodingOptions();
        var run = new InferenceOptions();

        Assert.Equal((0.0, 1.0, 8096, true, 20), (decoding.Temperature, decoding.TopP, decoding.MaxOutputTokens, decoding.Logprobs, decoding.TopLogprobs));
        Assert.Equal((4, 3, (int?)null, (int?)null, false), (run.Parallel, run.MaxRetries, run.RequestsPerMinute, run.TokensPerMinute, run.AllowNoLogprobs));
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120)), (run.AttemptTimeout, run.RetryBaseDelay, run.MaxRetryDelay));
    }

    [Theory]
    [InlineData("parallel", "parallel must be in [1, 1024]")]
    [InlineData("retries", "max retries must be in [0, 10]")]
    [InlineData("rpm", "requests per minute must be at least 1")]
    [InlineData("tpm", "tokens per minute must be at least 1")]
    [InlineData("top", "top logprobs must be in [1, 20]")]
    [InlineData("temperature", "temperature must be in [0, 2]")]
    [InlineData("max", "max output tokens must be in [16, 1000000]")]
    public void Validate_OutOfRange_NamesTheOption(string option, string message)
    {
        var options = option switch
        {
            "parallel" => new InferenceOptions { Parallel = 0 },
            "retries" => new InferenceOptions { MaxRetries = 11 },
            "rpm" => new InferenceOptions { RequestsPerMinute = 0 },
            "tpm" => new InferenceOptions { TokensPerMinute = -1 },
            "top" => new InferenceOptions { Decoding = new DecodingOptions { TopLogprobs = 21 } },
            "temperature" => new InferenceOptions { Decoding = new DecodingOptions { Temperature = 3 } },
            _ => new InferenceOptions { Decoding = new DecodingOptions { MaxOutputTokens = 1 } },
        };

        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}

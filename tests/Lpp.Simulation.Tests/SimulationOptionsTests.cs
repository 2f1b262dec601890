namespace Lpp.Simulation.Tests;

public sealed class SimulationOptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        // Given the default options
        var options = new SimulationOptions();

        // Then every default is the documented one (docs/simulation.md)
        Assert.Equal(42, options.Seed);
        Assert.False(options.ChainOfThought);
        Assert.Equal(0.35, options.Prevalence);
        Assert.Equal(0.07, options.EvidenceDeficitRate);
        Assert.Equal(0.05, options.PolicyGapRate);
        Assert.Equal(2.6, options.Skill);
        Assert.Equal(1.2, options.LogprobNoise);
        Assert.Equal(1.5, options.VerbalizedNoise);
        Assert.Equal("simulated-llm", options.Model);
    }

    [Theory]
    [InlineData("Prevalence", "prevalence must be strictly between 0 and 1")]
    [InlineData("EvidenceDeficitRate", "evidence-deficit rate must be in [0, 1)")]
    [InlineData("PolicyGapRate", "policy-gap rate must be in [0, 1)")]
    [InlineData("Sum", "evidence-deficit rate + policy-gap rate must be below 1")]
    [InlineData("Skill", "skill must be in [-10, 10]")]
    [InlineData("LogprobNoise", "logprob noise must be in [0, 10]")]
    [InlineData("VerbalizedNoise", "verbalized noise must be in [0, 10]")]
    [InlineData("Model", "model must not be empty")]
    public void Validate_OutOfRange_NamesTheOptionAndRange(string option, string message)
    {
        // Given an option out of range
        var options = option switch
        {
            "Prevalence" => new SimulationOptions { Prevalence = 1 },
            "EvidenceDeficitRate" => new SimulationOptions { EvidenceDeficitRate = -0.1 },
            "PolicyGapRate" => new SimulationOptions { PolicyGapRate = double.NaN },
            "Sum" => new SimulationOptions { EvidenceDeficitRate = 0.6, PolicyGapRate = 0.5 },
            "Skill" => new SimulationOptions { Skill = 11 },
            "LogprobNoise" => new SimulationOptions { LogprobNoise = -1 },
            "VerbalizedNoise" => new SimulationOptions { VerbalizedNoise = double.PositiveInfinity },
            _ => new SimulationOptions { Model = " " },
        };

        // When it is validated
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        // Then the message names the option and the range
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(option == "Sum" ? "PolicyGapRate" : option, error.ParamName);
    }
}

using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary>Options several commands share, defined once so that their names and help read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Inputs() => new("--input")
    {
        Description = "Decision records, JSON Lines (.jsonl or .jsonl.gz); repeat for several files.",
        AllowMultipleArgumentsPerToken = false,
        Required = true,
    };

    public static Option<string?> Rejects() => new("--rejects")
    {
        Description = "Write rejected lines here as JSON Lines {file, line, reason, text} (default: standard error).",
    };

    public static Option<bool> Strict() => new("--strict")
    {
        Description = "Exit with code 1 when any line was rejected.",
    };

    public static Option<bool> AllowShapeMismatch() => new("--allow-shape-mismatch")
    {
        Description = "Score records the model was not trained for (other labels, a signal it relies on missing) instead of rejecting them.",
    };

    public static Option<int> TopK() => ParseErrors.WholeNumber(
        new("--top-k")
        {
            Description = "Alternatives kept by the top-k features (providers return at most 20).",
            DefaultValueFactory = _ => new LppFeatureOptions().TopK,
        },
        1,
        20);

    /// <summary><c>--recipe</c>: one of <see cref="RecipeNames.All"/>, default the training options' recipe.</summary>
    public static Option<string> Recipe(string description)
    {
        var recipe = new Option<string>("--recipe") { Description = description, DefaultValueFactory = _ => new EscalationTrainerOptions().Recipe.Name() };
        recipe.AcceptOnlyFromAmong([.. RecipeNames.All]);
        return recipe;
    }

    public static Option<string> Model() => new("--model")
    {
        Description = "The model file written by lpp train.",
        Required = true,
    };

    public static Option<string?> Costs() => new("--costs")
    {
        Description = "Costs by severity (JSON: {\"default\": {\"c_error\", \"c_review\"}, \"by\": \"<source attribute>\", \"values\": {...}}); each item is routed at the threshold of its own costs.",
    };

    /// <summary>Reads <c>--costs</c> (null when not given) in the given cost form; any problem is a one-line user error.</summary>
    public static SeverityCosts? LoadCosts(string? path, CostForm form)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return SeverityCosts.Load(path, form);
        }
        catch (FormatException e)
        {
            throw new CliException($"--costs {e.Message}");
        }
    }

    /// <summary>Loads and verifies a model file; any problem is a one-line user error.</summary>
    public static EscalationModel LoadModel(string? path)
    {
        if (path is null)
        {
            throw new CliException("--model is required");
        }

        try
        {
            return EscalationModelFile.Load(path);
        }
        catch (ModelFileException e)
        {
            throw new CliException($"--model {e.Message}");
        }
    }

    public static string[] RequireInputs(string[]? inputs) =>
        inputs is { Length: > 0 } ? inputs : throw new CliException("--input is required");

    /// <summary>Runs an options check, turning its out-of-range error into a one-line user error.</summary>
    public static T Validated<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliException(e.Message.Split(" (Parameter", 2)[0].Split(Environment.NewLine, 2)[0]);
        }
    }

    public static void Validated(Action check) => Validated(() =>
    {
        check();
        return 0;
    });

    /// <summary>An ISO 8601 time given to <paramref name="option"/> (UTC unless it says otherwise), or null when absent.</summary>
    /// <exception cref="CliException">The text is not a time.</exception>
    public static DateTimeOffset? Time(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var time) ? time
        : throw new CliException($"{option} '{text}' is not an ISO 8601 time (e.g. 2026-11-30T00:00:00Z)");
}

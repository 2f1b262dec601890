namespace Lpp;

/// <summary>The one place where recipe names are written and read ("default", "paper").</summary>
public static class RecipeNames
{
    /// <summary>Every recipe's name, in enum order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<Recipe>().Select(Name)];

    /// <summary>The recipe's name as written in model files, reports and on the command line.</summary>
    public static string Name(this Recipe recipe) => recipe switch
    {
        Recipe.Default => "default",
        Recipe.Paper => "paper",
        _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe, "not a recipe"),
    };

    /// <summary>The recipe named <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">The name is not a recipe.</exception>
    public static Recipe Parse(string? name) =>
        TryParse(name, out var recipe) ? recipe : throw new FormatException($"recipe '{name}' is not one of {string.Join(", ", All)}");

    /// <summary>Parses a recipe name (exact, lower case); false when it is none.</summary>
    public static bool TryParse(string? name, out Recipe recipe)
    {
        foreach (var candidate in Enum.GetValues<Recipe>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.Ordinal))
            {
                recipe = candidate;
                return true;
            }
        }

        recipe = default;
        return false;
    }
}

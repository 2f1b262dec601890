namespace Lpp;

/// <summary>
/// A routing method that evaluations and experiments measure: always trust, one of the single-signal baselines, the
/// meta-model, or a model trained with another <see cref="Lpp.Recipe"/>. Its <see cref="Name"/> is how it is written in
/// reports and JSON; <see cref="Parse"/> reads it back. The known methods are static properties, so a typo does not compile.
/// </summary>
public readonly record struct Method
{
    private Method(string name, MethodKind kind, Recipe? recipe = null)
    {
        Name = name;
        Kind = kind;
        Recipe = recipe;
    }

    /// <summary>The method's name in reports, JSON and on the command line, e.g. "meta_model", "msp", "paper".</summary>
    public string Name { get; }

    /// <summary>What kind of policy it is.</summary>
    public MethodKind Kind { get; }

    /// <summary>The recipe of a <see cref="MethodKind.Recipe"/> method (null otherwise).</summary>
    public Recipe? Recipe { get; }

    /// <summary>Trust every answer.</summary>
    public static Method AlwaysTrust { get; } = new("always_trust", MethodKind.AlwaysTrust);

    /// <summary>Threshold the maximum probability among the top-k alternatives (<c>topk_msp</c>).</summary>
    public static Method Msp { get; } = new("msp", MethodKind.Signal);

    /// <summary>Threshold the margin between the two most probable alternatives (<c>topk_margin</c>).</summary>
    public static Method Top2Margin { get; } = new("top2_margin", MethodKind.Signal);

    /// <summary>Threshold the entropy of the top-k alternatives, lower trusted (<c>topk_entropy</c>).</summary>
    public static Method Entropy { get; } = new("entropy", MethodKind.Signal);

    /// <summary>Threshold the model's self-reported confidence (<c>verbalized_confidence</c>).</summary>
    public static Method Verbalized { get; } = new("verbalized", MethodKind.Signal);

    /// <summary>The escalation model under evaluation.</summary>
    public static Method MetaModel { get; } = new("meta_model", MethodKind.MetaModel);

    /// <summary>The single-signal baselines, in report order: msp, top2_margin, entropy, verbalized.</summary>
    public static IReadOnlyList<Method> Signals { get; } = [Msp, Top2Margin, Entropy, Verbalized];

    /// <summary>A model trained with <paramref name="recipe"/>, compared beside the meta-model; named after the recipe ("paper").</summary>
    public static Method Trained(Recipe recipe) => new(recipe.Name(), MethodKind.Recipe, recipe);

    /// <summary>The method named <paramref name="name"/>: a known method or a recipe name.</summary>
    /// <exception cref="FormatException">The name is not a method.</exception>
    public static Method Parse(string name) =>
        TryParse(name, out var method) ? method : throw new FormatException($"method '{name}' is not one of {string.Join(", ", Known.Select(m => m.Name).Concat(RecipeNames.All))}");

    /// <summary>Parses a method name; false when it is none.</summary>
    public static bool TryParse(string? name, out Method method)
    {
        foreach (var known in Known)
        {
            if (string.Equals(known.Name, name, StringComparison.Ordinal))
            {
                method = known;
                return true;
            }
        }

        if (RecipeNames.TryParse(name, out var recipe))
        {
            method = Trained(recipe);
            return true;
        }

        method = default;
        return false;
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;

    private static IEnumerable<Method> Known => [AlwaysTrust, .. Signals, MetaModel];
}

using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// Collinear features reported as one contribution: their linear terms (coefficient × standardised value) summed,
/// the push of the one signal they share. Found at training time (<see cref="ContributionGroups"/>).
/// </summary>
public sealed class ContributionGroup
{
    /// <summary>How many members <see cref="Label"/> lists before "and N more".</summary>
    public const int LabelledMembers = 3;

    /// <summary>Creates a group.</summary>
    /// <param name="name">What the members measure, e.g. <c>margin</c> (<see cref="ContributionGroups.NameOf"/>).</param>
    /// <param name="members">At least two distinct feature names, the lead (most correlated with correctness) first.</param>
    /// <param name="signs">Per member, +1 when it rises with the lead and −1 when it falls.</param>
    /// <exception cref="ArgumentException">An empty name, fewer than two or repeated members, or signs that are not ±1 per member.</exception>
    public ContributionGroup(string name, IReadOnlyList<string> members, IReadOnlyList<int> signs)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(signs);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a contribution group needs a name", nameof(name));
        }

        if (members.Count < 2 || members.Distinct(StringComparer.Ordinal).Count() != members.Count)
        {
            throw new ArgumentException($"contribution group '{name}' needs at least two distinct members (got {string.Join(", ", members)})", nameof(members));
        }

        if (signs.Count != members.Count || signs.Any(s => s is not (1 or -1)))
        {
            throw new ArgumentException($"contribution group '{name}' needs one sign, +1 or -1, per member", nameof(signs));
        }

        Name = name;
        Members = [.. members];
        Signs = [.. signs];
        var listed = string.Join(", ", Members.Take(LabelledMembers));
        Label = Members.Length > LabelledMembers ? $"{name} ({listed} and {Members.Length - LabelledMembers} more)" : $"{name} ({listed})";
    }

    /// <summary>What the members measure, e.g. <c>margin</c>.</summary>
    public string Name { get; }

    /// <summary>The members, the lead first.</summary>
    public ImmutableArray<string> Members { get; }

    /// <summary>+1 for a member that rises with the lead, −1 for one that falls.</summary>
    public ImmutableArray<int> Signs { get; }

    /// <summary>
    /// How decisions name the group: the name and the members, e.g. <c>margin (logodds_margin, label_logodds_margin)</c>
    /// (beyond <see cref="LabelledMembers"/> members, the first ones and how many more).
    /// </summary>
    public string Label { get; }
}

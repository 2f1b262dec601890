namespace Lpp;

/// <summary>Features whose values move together (|correlation| at least <see cref="FeatureAnalysis.DuplicateCorrelation"/>, linked in a chain): one signal read several ways.</summary>
/// <param name="Lead">The member most correlated with correctness: the group's name.</param>
/// <param name="Members">Every member, lead first, then in schema order.</param>
/// <param name="Signs">+1 for a member that rises with the lead, −1 for one that falls (entropy against max probability).</param>
public sealed record FeatureGroup(string Lead, IReadOnlyList<string> Members, IReadOnlyList<int> Signs);

namespace Lpp.Serving;

/// <summary>One API key of the keys file: its name (for logs, audit and rate limits), its scopes and the reviewers it acts for.</summary>
/// <param name="Name">The key's name.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Reviewers">The reviewer identities it may claim and review as; null for any (only without a keys file, on loopback).</param>
internal sealed record ApiKey(string Name, ApiScope Scopes, IReadOnlySet<string>? Reviewers)
{
    /// <summary>The caller when the server runs without a keys file (loopback only): route and review, never admin.</summary>
    public static ApiKey Anonymous { get; } = new("anonymous", ApiScope.Route | ApiScope.Review, null);

    /// <summary>Whether this key may claim and review as <paramref name="reviewer"/>.</summary>
    public bool ActsFor(string reviewer) => Reviewers is null || Reviewers.Contains(reviewer);
}

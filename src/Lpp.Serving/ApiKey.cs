namespace Lpp.Serving;

/// <summary>One API key of the keys file: its name (for logs, audit and rate limits) and its scopes.</summary>
/// <param name="Name">The key's name.</param>
/// <param name="Scopes">What it may do.</param>
internal sealed record ApiKey(string Name, ApiScope Scopes)
{
    /// <summary>The caller when the server runs without a keys file.</summary>
    public static ApiKey Anonymous { get; } = new("anonymous", ApiScope.Route | ApiScope.Review | ApiScope.Admin);
}

namespace Lpp.Inference;

/// <summary>Settings of the Gemini provider (Gemini API or Vertex AI <c>generateContent</c>).</summary>
public sealed record GeminiProviderOptions
{
    /// <summary>The default Gemini API host.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com/v1beta/");

    /// <summary>The model name, for example <c>gemini-2.0-flash</c>.</summary>
    public required string Model { get; init; }

    /// <summary>A Gemini API key (sent as <c>x-goog-api-key</c>) or, for Vertex AI, an OAuth access token. Never written anywhere.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// The base URL the path <c>models/{model}:generateContent</c> is appended to. The Gemini API's by default;
    /// for Vertex AI <c>https://{location}-aiplatform.googleapis.com/v1/projects/{p}/locations/{location}/publishers/google/</c>,
    /// in which case the key is sent as a bearer token.
    /// </summary>
    public Uri BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>True when the base URL is a Vertex AI one (it names a project): the key is a bearer token.</summary>
    public bool IsVertex => BaseUrl.AbsolutePath.Contains("/projects/", StringComparison.Ordinal);
}

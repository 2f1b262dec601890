using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// A small typed client of Gemini <c>generateContent</c>: system instruction, user parts (text, <c>inlineData</c>
/// images, <c>fileData</c> video), <c>responseSchema</c> with <c>propertyOrdering</c> (outcome first),
/// <c>responseLogprobs</c> and <c>logprobs</c>. The response's <c>logprobsResult</c> becomes generated tokens
/// (chosen candidate plus the top candidates at each position).
/// </summary>
public sealed class GeminiChatProvider : IChatProvider
{
    private readonly GeminiProviderOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _endpoint;

    /// <summary>Creates the provider.</summary>
    public GeminiChatProvider(GeminiProviderOptions options, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options;
        _http = httpClient;
        _time = time ?? TimeProvider.System;
        var baseUrl = options.BaseUrl.AbsoluteUri.EndsWith('/') ? options.BaseUrl : new Uri(options.BaseUrl.AbsoluteUri + "/");
        _endpoint = new Uri(baseUrl, $"models/{Uri.EscapeDataString(options.Model)}:generateContent");
    }

    /// <inheritdoc />
    public string Name => "gemini";

    /// <inheritdoc />
    public string Model => _options.Model;

    /// <summary>The URL requests are sent to.</summary>
    public Uri GenerateUrl => _endpoint;

    /// <inheritdoc />
    public string Endpoint => _options.BaseUrl.AbsoluteUri;

    /// <inheritdoc />
    public string BuildRequest(ChatPrompt prompt, DecodingOptions decoding)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(decoding);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("systemInstruction");
            w.WriteStartArray("parts");
            w.WriteStartObject();
            w.WriteString("text", prompt.System);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("contents");
            w.WriteStartObject();
            w.WriteString("role", "user");
            w.WriteStartArray("parts");
            foreach (var part in prompt.User)
            {
                WritePart(w, part);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            foreach (var turn in prompt.FollowUps)
            {
                w.WriteStartObject();
                w.WriteString("role", turn.Role == ChatRole.User ? "user" : "model");
                w.WriteStartArray("parts");
                w.WriteStartObject();
                w.WriteString("text", turn.Text);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("generationConfig");
            w.WriteNumber("temperature", decoding.Temperature);
            w.WriteNumber("topP", decoding.TopP);
            w.WriteNumber("candidateCount", 1);
            w.WriteNumber("maxOutputTokens", decoding.MaxOutputTokens);
            w.WriteString("responseMimeType", "application/json");
            w.WritePropertyName("responseSchema");
            w.WriteRawValue(OutputSchema.Gemini(prompt.ChainOfThought));
            if (decoding.Logprobs)
            {
                w.WriteBoolean("responseLogprobs", true);
                w.WriteNumber("logprobs", decoding.TopLogprobs);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <inheritdoc />
    public async Task<string> SendAsync(string requestBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(requestBody, Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            if (_options.IsVertex)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            }
            else
            {
                request.Headers.Add("x-goog-api-key", _options.ApiKey);
            }
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
                throw HttpErrors.Classify((int)response.StatusCode, body, retryAfter, _time, _options.ApiKey);
            }

            return body;
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, _endpoint, _options.ApiKey);
        }
    }

    /// <inheritdoc />
    public ProviderResponse Parse(string responseBody) => GeminiResponseParser.Parse(responseBody);

    private static void WritePart(Utf8JsonWriter w, PromptPart part)
    {
        w.WriteStartObject();
        switch (part)
        {
            case TextPart text:
                w.WriteString("text", text.Text);
                break;
            case ImagePart image when image.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && image.Url.Contains(";base64,", StringComparison.Ordinal):
                w.WriteStartObject("inlineData");
                w.WriteString("mimeType", image.MimeType);
                w.WriteString("data", image.Url[(image.Url.IndexOf(";base64,", StringComparison.Ordinal) + 8)..]);
                w.WriteEndObject();
                break;
            case ImagePart image:
                w.WriteStartObject("fileData");
                w.WriteString("mimeType", image.MimeType);
                w.WriteString("fileUri", image.Url);
                w.WriteEndObject();
                break;
            case VideoPart video:
                w.WriteStartObject("fileData");
                w.WriteString("mimeType", video.MimeType);
                w.WriteString("fileUri", video.Uri);
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Lpp.Inference;

/// <summary>
/// Chat completions through the official OpenAI package, over an <see cref="HttpClient"/> the caller controls. The
/// request body is written here (it is also the cache key) and sent with the package's protocol method; the raw body
/// is parsed here too, because compatible servers send shapes the package's models reject (<c>top_logprobs: null</c>,
/// absent <c>bytes</c>, -3.4e38 floors, unsorted alternatives). Retries belong to the runner: the package's own are off.
/// </summary>
public sealed class OpenAiChatProvider : IChatProvider
{
    private readonly ChatClient _client;
    private readonly OpenAiProviderOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the provider.</summary>
    public OpenAiChatProvider(OpenAiProviderOptions options, HttpClient httpClient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options;
        _time = time ?? TimeProvider.System;
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        if (options.BaseUrl is not null)
        {
            clientOptions.Endpoint = options.BaseUrl;
        }

        // Compatible servers often need no key; the package insists on one, which such servers ignore.
        _client = new ChatClient(options.Model, new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey), clientOptions);
    }

    /// <inheritdoc />
    public string Name => _options.Compatible ? "openai-compatible" : "openai";

    /// <inheritdoc />
    public string Model => _options.Model;

    /// <inheritdoc />
    public string Endpoint => (_options.BaseUrl ?? OpenAiProviderOptions.DefaultBaseUrl).AbsoluteUri;

    /// <inheritdoc />
    public string BuildRequest(ChatPrompt prompt, DecodingOptions decoding)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(decoding);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", _options.Model);
            w.WriteStartArray("messages");
            w.WriteStartObject();
            w.WriteString("role", "system");
            w.WriteString("content", prompt.System);
            w.WriteEndObject();
            WriteUser(w, prompt.User);
            foreach (var turn in prompt.FollowUps)
            {
                w.WriteStartObject();
                w.WriteString("role", turn.Role == ChatRole.User ? "user" : "assistant");
                w.WriteString("content", turn.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("temperature", decoding.Temperature);
            w.WriteNumber("top_p", decoding.TopP);
            w.WriteNumber("n", 1);
            w.WriteNumber(_options.Compatible ? "max_tokens" : "max_completion_tokens", decoding.MaxOutputTokens);
            if (decoding.Logprobs)
            {
                w.WriteBoolean("logprobs", true);
                w.WriteNumber("top_logprobs", decoding.TopLogprobs);
            }

            w.WriteStartObject("response_format");
            w.WriteString("type", "json_schema");
            w.WriteStartObject("json_schema");
            w.WriteString("name", OutputSchema.Name);
            w.WriteBoolean("strict", true);
            w.WritePropertyName("schema");
            w.WriteRawValue(OutputSchema.OpenAi(prompt.ChainOfThought));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <inheritdoc />
    public async Task<string> SendAsync(string requestBody, CancellationToken cancellationToken)
    {
        PipelineResponse response;
        try
        {
            var result = await _client.CompleteChatAsync(
                BinaryContent.Create(BinaryData.FromString(requestBody)),
                new RequestOptions { ErrorOptions = ClientErrorBehaviors.NoThrow, CancellationToken = cancellationToken }).ConfigureAwait(false);
            response = result.GetRawResponse();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or ClientResultException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpErrors.Transport(e, _options.BaseUrl ?? OpenAiProviderOptions.DefaultBaseUrl, _options.ApiKey);
        }

        var body = response.Content.ToString();
        if (response.Status is < 200 or > 299)
        {
            response.Headers.TryGetValue("Retry-After", out var retryAfter);
            throw HttpErrors.Classify(response.Status, body, retryAfter, _time, _options.ApiKey);
        }

        return body;
    }

    /// <inheritdoc />
    public ProviderResponse Parse(string responseBody) => OpenAiResponseParser.Parse(responseBody);

    private static void WriteUser(Utf8JsonWriter w, IReadOnlyList<PromptPart> parts)
    {
        w.WriteStartObject();
        w.WriteString("role", "user");
        if (parts is [TextPart only])
        {
            // A plain string is what every compatible server accepts.
            w.WriteString("content", only.Text);
        }
        else
        {
            w.WriteStartArray("content");
            foreach (var part in parts)
            {
                w.WriteStartObject();
                switch (part)
                {
                    case TextPart text:
                        w.WriteString("type", "text");
                        w.WriteString("text", text.Text);
                        break;
                    case ImagePart image:
                        w.WriteString("type", "image_url");
                        w.WriteStartObject("image_url");
                        w.WriteString("url", image.Url);
                        w.WriteEndObject();
                        break;
                    case VideoPart video:
                        // Chat completions take no video: the model is told one exists, and reviews the frames.
                        w.WriteString("type", "text");
                        w.WriteString("text", $"[a video is attached by reference ({video.MimeType}) and cannot be shown here; review the frames]");
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}

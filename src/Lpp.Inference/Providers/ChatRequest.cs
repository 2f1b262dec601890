namespace Lpp.Inference;

/// <summary>
/// One request as data, before any wire format: the conversation (system prompt, user parts with their media,
/// follow-up turns, and whether the chain-of-thought schema is asked for) and the decoding settings. Each provider's
/// <see cref="IChatCodec"/> encodes it for a synchronous call or a batch line; the encoded body is kept per codec, so
/// the cache key, the call and the batch file never encode one request twice.
/// </summary>
public sealed class ChatRequest
{
    private IChatCodec? _codec;
    private string? _body;

    /// <summary>Creates a request.</summary>
    public ChatRequest(ChatPrompt prompt, DecodingOptions decoding)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(decoding);
        Prompt = prompt;
        Decoding = decoding;
    }

    /// <summary>The conversation: messages, media and the output schema variant.</summary>
    public ChatPrompt Prompt { get; }

    /// <summary>The decoding settings.</summary>
    public DecodingOptions Decoding { get; }

    /// <summary>The request encoded by <paramref name="codec"/> (encoded on first use, then kept).</summary>
    public string Body(IChatCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (!ReferenceEquals(_codec, codec) || _body is null)
        {
            _body = codec.Encode(this);
            _codec = codec;
        }

        return _body;
    }
}

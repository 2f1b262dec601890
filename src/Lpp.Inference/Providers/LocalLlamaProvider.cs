using System.Globalization;
using System.Text;
using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Lpp.Inference;

/// <summary>
/// An in-process GGUF model through LLamaSharp (CPU backend). Decoding is constrained by a GBNF grammar that only
/// admits the output contract (outcome first), and the top logprobs at each position are computed from the raw logits
/// (log-softmax before the grammar, as vLLM reports them by default). The response body it produces has the
/// chat-completions shape, so it is cached, parsed and recorded like an OpenAI one. One generation runs at a time.
/// The model reads the typed request directly; its <see cref="Codec"/> writes the same settings as JSON (the rendered
/// prompt, the grammar, the decoding settings) only to key the response cache.
/// </summary>
public sealed class LocalLlamaProvider : IChatProvider, IDisposable
{
    private readonly LocalLlamaOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LLamaWeights? _weights;
    private ModelParams? _parameters;

    /// <summary>Creates the provider; the model is loaded on first use.</summary>
    public LocalLlamaProvider(LocalLlamaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Codec = new LocalCodec(this);
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public string Model => Path.GetFileName(_options.ModelPath);

    /// <inheritdoc />
    public string Endpoint => Path.GetFullPath(_options.ModelPath);

    /// <summary>The GBNF grammar of the output contract.</summary>
    public static string Grammar(bool chainOfThought, int maxStepCharacters)
    {
        var steps = chainOfThought
            ? " \",\" ws \"\\\"reasoning_steps\\\":\" ws \"[\" ws step \",\" ws step \",\" ws step ws \"]\""
            : string.Empty;
        return string.Join('\n',
            $"root ::= \"{{\" ws \"\\\"outcome\\\":\" ws [0-3] \",\" ws \"\\\"p_correct\\\":\" ws pct \",\" ws \"\\\"band\\\":\" ws band{steps} ws \"}}\"",
            "pct ::= \"100\" | [1-9] [0-9]? | \"0\"",
            "band ::= \"\\\"VL\\\"\" | \"\\\"L\\\"\" | \"\\\"M\\\"\" | \"\\\"H\\\"\" | \"\\\"VH\\\"\"",
            $"step ::= \"{{\" ws \"\\\"step_number\\\":\" ws [1-3] \",\" ws \"\\\"description\\\":\" ws \"\\\"\" char{{1,{maxStepCharacters.ToString(CultureInfo.InvariantCulture)}}} \"\\\"\" ws \"}}\"",
            "char ::= [^\"\\\\\\x00-\\x1F\\x7F]",
            "ws ::= \" \"?",
            string.Empty);
    }

    /// <summary>The prompt as one Llama-2 chat text (images cannot be shown to a text model and are named instead).</summary>
    public static string Render(ChatPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var user = new StringBuilder();
        foreach (var part in prompt.User)
        {
            user.Append(part switch
            {
                TextPart t => t.Text,
                ImagePart => "\n[an image was given but this model cannot see images]",
                VideoPart => "\n[a video was given but this model cannot see videos]",
                _ => string.Empty,
            });
        }

        var text = new StringBuilder();
        text.Append("[INST] <<SYS>>\n").Append(prompt.System).Append("\n<</SYS>>\n\n").Append(user).Append(" [/INST]");
        foreach (var turn in prompt.FollowUps)
        {
            text.Append(turn.Role == ChatRole.Assistant ? $" {turn.Text} </s><s>" : $"[INST] {turn.Text} [/INST]");
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public IChatCodec Codec { get; }

    /// <inheritdoc />
    public async Task<ChatAnswer> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decoding = request.Decoding;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        string raw;
        try
        {
            raw = await Task.Run(
                () => Generate(
                    Render(request.Prompt),
                    Grammar(request.Prompt.ChainOfThought, _options.MaxStepCharacters),
                    (float)decoding.Temperature,
                    decoding.MaxOutputTokens,
                    decoding.Logprobs ? decoding.TopLogprobs : 0,
                    cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        return new ChatAnswer(raw, Codec.Decode(raw));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _weights?.Dispose();
        _gate.Dispose();
    }

    private string Generate(string prompt, string grammar, float temperature, int maxTokens, int topLogprobs, CancellationToken ct)
    {
        if (_weights is null)
        {
            if (!File.Exists(_options.ModelPath))
            {
                throw new ProviderException(ProviderErrorKind.Permanent, $"model file not found: {_options.ModelPath}", 404);
            }

            // llama.cpp logs every load step to standard error; the library writes nothing to the console.
            NativeLogConfig.llama_log_set((_, _) => { });
            _parameters = new ModelParams(_options.ModelPath) { ContextSize = _options.ContextSize, GpuLayerCount = 0 };
            _weights = LLamaWeights.LoadFromFile(_parameters);
        }

        using var context = _weights.CreateContext(_parameters!);
        var vocab = context.NativeHandle.ModelHandle.Vocab;
        var promptTokens = context.Tokenize(prompt, addBos: true, special: true);
        if (promptTokens.Length >= context.ContextSize)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"the prompt has {promptTokens.Length} tokens, more than the context of {context.ContextSize}", 400);
        }

        using var sampler = new DefaultSamplingPipeline { Temperature = temperature, Grammar = new Grammar(grammar, "root") };
        var batch = new LLamaBatch();
        batch.AddRange(promptTokens, 0, LLamaSeqId.Zero, true);
        Decode(context, batch);
        var position = promptTokens.Length;
        var content = new List<byte>();
        var tokens = new List<(string Text, byte[] Bytes, double Logprob, List<(string, double)> Top)>();
        var finish = "length";
        var budget = Math.Min(maxTokens, (int)context.ContextSize - position);
        var piece = new byte[256];
        for (var i = 0; i < budget; i++)
        {
            ct.ThrowIfCancellationRequested();
            var logits = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
            var logSum = LogSumExp(logits);
            var token = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
            if (token.IsEndOfGeneration(vocab))
            {
                finish = "stop";
                break;
            }

            var bytes = Piece(vocab, token, piece);
            var top = new List<(string, double)>(topLogprobs);
            foreach (var index in TopIndices(logits, topLogprobs))
            {
                top.Add((Encoding.UTF8.GetString(Piece(vocab, (LLamaToken)index, piece)), logits[index] - logSum));
            }

            tokens.Add((Encoding.UTF8.GetString(bytes), bytes, logits[(int)token] - logSum, top));
            content.AddRange(bytes);
            batch.Clear();
            batch.Add(token, position++, LLamaSeqId.Zero, true);
            Decode(context, batch);
        }

        return Body(Encoding.UTF8.GetString([.. content]), tokens, promptTokens.Length, finish, topLogprobs > 0);
    }

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"llama.cpp decode failed ({result})");
        }
    }

    private static byte[] Piece(SafeLlamaModelHandle.Vocabulary vocab, LLamaToken token, byte[] buffer)
    {
        var length = NativeApi.llama_token_to_piece(vocab, token, buffer, 0, false);
        return length <= 0 ? [] : buffer.AsSpan(0, Math.Min(length, buffer.Length)).ToArray();
    }

    private static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        double sum = 0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }

        return max + Math.Log(sum);
    }

    private static int[] TopIndices(ReadOnlySpan<float> logits, int k)
    {
        if (k <= 0)
        {
            return [];
        }

        var best = new List<int>(k + 1);
        for (var i = 0; i < logits.Length; i++)
        {
            if (best.Count == k && logits[i] <= logits[best[^1]])
            {
                continue;
            }

            var at = best.Count;
            while (at > 0 && logits[best[at - 1]] < logits[i])
            {
                at--;
            }

            best.Insert(at, i);
            if (best.Count > k)
            {
                best.RemoveAt(k);
            }
        }

        return [.. best];
    }

    private string Body(string content, List<(string Text, byte[] Bytes, double Logprob, List<(string, double)> Top)> tokens, int promptTokens, string finish, bool logprobs)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("object", "chat.completion");
            w.WriteString("model", Model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", content);
            w.WriteEndObject();
            w.WritePropertyName("logprobs");
            if (logprobs)
            {
                w.WriteStartObject();
                w.WriteStartArray("content");
                foreach (var (text, bytes, logprob, top) in tokens)
                {
                    w.WriteStartObject();
                    w.WriteString("token", text);
                    w.WriteNumber("logprob", logprob);
                    WriteBytes(w, bytes);
                    w.WriteStartArray("top_logprobs");
                    foreach (var (altText, altLogprob) in top)
                    {
                        w.WriteStartObject();
                        w.WriteString("token", altText);
                        w.WriteNumber("logprob", altLogprob);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteString("finish_reason", finish);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("completion_tokens", tokens.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteBytes(Utf8JsonWriter w, byte[] bytes)
    {
        w.WriteStartArray("bytes");
        foreach (var b in bytes)
        {
            w.WriteNumberValue(b);
        }

        w.WriteEndArray();
    }

    /// <summary>The request as the cache key sees it: the model, the rendered prompt, the grammar and the decoding settings.</summary>
    private sealed class LocalCodec(LocalLlamaProvider owner) : IChatCodec
    {
        public string Encode(ChatRequest request)
        {
            ArgumentNullException.ThrowIfNull(request);
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("model", owner.Model);
                w.WriteString("prompt", Render(request.Prompt));
                w.WriteString("grammar", Grammar(request.Prompt.ChainOfThought, owner._options.MaxStepCharacters));
                w.WriteNumber("temperature", request.Decoding.Temperature);
                w.WriteNumber("top_p", request.Decoding.TopP);
                w.WriteNumber("max_tokens", request.Decoding.MaxOutputTokens);
                w.WriteNumber("top_logprobs", request.Decoding.Logprobs ? request.Decoding.TopLogprobs : 0);
                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        public ProviderResponse Decode(string body) => OpenAiResponseParser.Parse(body);
    }
}

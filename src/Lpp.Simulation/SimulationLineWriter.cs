using System.Text;

namespace Lpp.Simulation;

/// <summary>
/// The fast path behind <see cref="SimulationWriter.WriteLines"/>: writes the same bytes as
/// <see cref="SimulationWriter.Write(System.Text.Json.Utf8JsonWriter, DecisionRecord, SimulationFormat)"/> (the <see cref="System.Text.Json.Utf8JsonWriter"/> reference, which a test compares
/// it with) straight into a <see cref="JsonLineBuffer"/>. Structural JSON is written as byte literals and the UTF-8 of
/// every token string (its quoted form, and for OpenAI its <c>bytes</c> array) is made once and reused: the simulated
/// vocabulary is small and its strings are shared, so the cache is keyed by reference and bounded.
/// </summary>
internal sealed class SimulationLineWriter(JsonLineBuffer output)
{
    private const int PromptTokens = 412;
    private const int MaxCachedStrings = 4096;

    private readonly Dictionary<string, TokenText> _tokens = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, byte[]> _objects = new(ReferenceEqualityComparer.Instance);
    private readonly List<SimulatedAnswer.AnswerToken> _answer = new(64);
    private readonly StringBuilder _text = new(512);

    public void Write(DecisionRecord record, SimulationFormat format)
    {
        switch (format)
        {
            case SimulationFormat.Records:
                WriteRecord(record);
                return;
            case SimulationFormat.OpenAi:
                SimulationWriter.Tokens(record, _answer);
                WriteOpenAi(record);
                return;
            case SimulationFormat.Gemini:
                SimulationWriter.Tokens(record, _answer);
                WriteGemini(record);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "format must be Records, OpenAi or Gemini");
        }
    }

    // DecisionRecordJson.Write, spelled out.
    private void WriteRecord(DecisionRecord record)
    {
        var o = output;
        var r = record.Output;
        o.Raw("{\"id\":"u8);
        o.String(record.Id);
        o.Raw(",\"source\":"u8);
        o.Raw(SourceObject(record.Source));
        o.Raw(SchemaProperties(record.Schema));
        o.Raw(",\"output\":{\"outcome\":"u8);
        String(r.Outcome);
        o.Raw(",\"raw_answer\":"u8);
        o.String(r.RawAnswer);
        o.Raw(",\"verbalized_confidence\":"u8);
        if (r.VerbalizedConfidence is { } confidence)
        {
            o.Number(confidence);
        }
        else
        {
            o.Raw("null"u8);
        }

        o.Raw(",\"band\":"u8);
        o.Raw(r.Band is { } band ? BandText(band) : "null"u8);
        o.Raw(",\"outcome_top_logprobs\":"u8);
        WriteRecordAlternatives(r.OutcomeTopLogprobs);
        o.Raw(",\"reasoning_tokens\":"u8);
        if (r.ReasoningTokens is null)
        {
            o.Raw("null"u8);
        }
        else
        {
            o.Byte((byte)'[');
            var first = true;
            foreach (var token in r.ReasoningTokens)
            {
                if (!first)
                {
                    o.Byte((byte)',');
                }

                first = false;
                o.Raw(Token(token.Token).LogprobHead);
                o.Number(token.Logprob);
                o.Raw(",\"top_logprobs\":"u8);
                WriteRecordAlternatives(token.TopLogprobs);
                o.Byte((byte)'}');
            }

            o.Byte((byte)']');
        }

        o.Raw("},\"truth\":"u8);
        String(record.Truth);
        o.Byte((byte)'}');
    }

    private void WriteRecordAlternatives(IReadOnlyList<TokenLogprob>? alternatives)
    {
        var o = output;
        if (alternatives is null)
        {
            o.Raw("null"u8);
            return;
        }

        o.Byte((byte)'[');
        for (var i = 0; i < alternatives.Count; i++)
        {
            var (token, logprob) = alternatives[i];
            if (i > 0)
            {
                o.Byte((byte)',');
            }

            o.Raw(Token(token).LogprobHead);
            o.Number(double.IsFinite(logprob) ? logprob : LppFeatureDefaults.ZeroProbabilityLogprob * 10);
            o.Byte((byte)'}');
        }

        o.Byte((byte)']');
    }

    private void WriteOpenAi(DecisionRecord record)
    {
        var o = output;
        o.Raw("{\"id\":"u8);
        o.String("chatcmpl-" + record.Id);
        o.Raw(",\"object\":\"chat.completion\",\"created\":0,\"model\":"u8);
        String(Model(record));
        o.Raw(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"u8);
        WriteContent();
        o.Raw(",\"refusal\":null},\"logprobs\":{\"content\":["u8);
        for (var i = 0; i < _answer.Count; i++)
        {
            var token = _answer[i];
            if (i > 0)
            {
                o.Byte((byte)',');
            }

            var text = Token(token.Token);
            o.Raw(text.LogprobHead);
            o.Number(token.Logprob);
            o.Raw(text.BytesTail);
            o.Raw(",\"top_logprobs\":["u8);
            var alternatives = token.Alternatives;
            for (var j = 0; j < alternatives.Count; j++)
            {
                var (alternative, logprob) = alternatives[j];
                if (j > 0)
                {
                    o.Byte((byte)',');
                }

                var alternativeText = Token(alternative);
                o.Raw(alternativeText.LogprobHead);
                o.Number(logprob);
                o.Raw(alternativeText.BytesTail);
                o.Byte((byte)'}');
            }

            o.Raw("]}"u8);
        }

        o.Raw("],\"refusal\":null},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"u8);
        WriteUsage(gemini: false);
        o.Raw(",\"lpp_simulation\":"u8);
        WriteSimulation(record);
        o.Byte((byte)'}');
    }

    private void WriteGemini(DecisionRecord record)
    {
        var o = output;
        o.Raw("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"u8);
        WriteContent();
        o.Raw("}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"avgLogprobs\":"u8);
        var sum = 0.0;
        foreach (var token in _answer)
        {
            sum += token.Logprob;
        }

        o.Number(sum / _answer.Count);
        o.Raw(",\"logprobsResult\":{\"topCandidates\":["u8);
        for (var i = 0; i < _answer.Count; i++)
        {
            if (i > 0)
            {
                o.Byte((byte)',');
            }

            o.Raw("{\"candidates\":["u8);
            var alternatives = _answer[i].Alternatives;
            for (var j = 0; j < alternatives.Count; j++)
            {
                var (alternative, logprob) = alternatives[j];
                if (j > 0)
                {
                    o.Byte((byte)',');
                }

                o.Raw(Token(alternative).LogProbabilityHead);
                o.Number(logprob);
                o.Byte((byte)'}');
            }

            o.Raw("]}"u8);
        }

        o.Raw("],\"chosenCandidates\":["u8);
        for (var i = 0; i < _answer.Count; i++)
        {
            if (i > 0)
            {
                o.Byte((byte)',');
            }

            o.Raw(Token(_answer[i].Token).LogProbabilityHead);
            o.Number(_answer[i].Logprob);
            o.Byte((byte)'}');
        }

        o.Raw("]}}],\"usageMetadata\":{\"promptTokenCount\":"u8);
        WriteUsage(gemini: true);
        o.Raw(",\"modelVersion\":"u8);
        String(Model(record));
        o.Raw(",\"lpp_simulation\":"u8);
        WriteSimulation(record);
        o.Byte((byte)'}');
    }

    // "prompt_tokens" or "promptTokenCount" is already written; the other two names follow the provider's spelling.
    private void WriteUsage(bool gemini)
    {
        var o = output;
        o.Number(PromptTokens);
        o.Raw(gemini ? ",\"candidatesTokenCount\":"u8 : ",\"completion_tokens\":"u8);
        o.Number(_answer.Count);
        o.Raw(gemini ? ",\"totalTokenCount\":"u8 : ",\"total_tokens\":"u8);
        o.Number(PromptTokens + _answer.Count);
        o.Byte((byte)'}');
    }

    // The answer text is the tokens concatenated. Escaping is per character, so the escaped tokens concatenated are the
    // escaped text, unless a token holds half of a surrogate pair; then the text is built and escaped whole.
    private void WriteContent()
    {
        var whole = true;
        foreach (var token in _answer)
        {
            whole &= Token(token.Token).Whole;
        }

        if (!whole)
        {
            output.String(SimulatedAnswer.Text(_answer, _text));
            return;
        }

        output.Byte((byte)'"');
        foreach (var token in _answer)
        {
            output.Raw(Token(token.Token).Escaped);
        }

        output.Byte((byte)'"');
    }

    private void WriteSimulation(DecisionRecord record)
    {
        var o = output;
        o.Raw("{\"simulated\":true,\"id\":"u8);
        o.String(record.Id);
        o.Raw(",\"truth\":"u8);
        String(record.Truth);
        o.Raw(",\"source\":"u8);
        o.Raw(SourceObject(record.Source));
        o.Byte((byte)'}');
    }

    private void String(string? value)
    {
        if (value is null)
        {
            output.Raw("null"u8);
            return;
        }

        output.Byte((byte)'"');
        output.Raw(Token(value).Escaped);
        output.Byte((byte)'"');
    }

    private TokenText Token(string token)
    {
        if (_tokens.TryGetValue(token, out var text))
        {
            return text;
        }

        text = TokenText.Of(token);
        if (_tokens.Count < MaxCachedStrings)
        {
            _tokens.Add(token, text);
        }

        return text;
    }

    private byte[] SourceObject(IReadOnlyDictionary<string, string> source)
    {
        if (_objects.TryGetValue(source, out var bytes))
        {
            return bytes;
        }

        var buffer = new JsonLineBuffer(Stream.Null, 256);
        buffer.Byte((byte)'{');
        var first = true;
        foreach (var (key, value) in source)
        {
            if (!first)
            {
                buffer.Byte((byte)',');
            }

            first = false;
            buffer.String(key);
            buffer.Byte((byte)':');
            buffer.String(value);
        }

        buffer.Byte((byte)'}');
        return Remember(source, buffer);
    }

    // ,"labels":[...],"abstain_labels":{...}
    private byte[] SchemaProperties(LabelSchema schema)
    {
        if (_objects.TryGetValue(schema, out var bytes))
        {
            return bytes;
        }

        var buffer = new JsonLineBuffer(Stream.Null, 256);
        buffer.Raw(",\"labels\":["u8);
        for (var i = 0; i < schema.Labels.Count; i++)
        {
            if (i > 0)
            {
                buffer.Byte((byte)',');
            }

            buffer.String(schema.Labels[i]);
        }

        buffer.Raw("],\"abstain_labels\":{"u8);
        var first = true;
        foreach (var (label, attribution) in schema.AbstainLabels)
        {
            if (!first)
            {
                buffer.Byte((byte)',');
            }

            first = false;
            buffer.String(label);
            buffer.Raw(attribution == Attribution.Evidence ? ":\"evidence\""u8 : ":\"definition\""u8);
        }

        buffer.Byte((byte)'}');
        return Remember(schema, buffer);
    }

    private byte[] Remember(object key, JsonLineBuffer buffer)
    {
        var bytes = buffer.Pending.ToArray();
        if (_objects.Count < MaxCachedStrings)
        {
            _objects.Add(key, bytes);
        }

        return bytes;
    }

    private static ReadOnlySpan<byte> BandText(ConfidenceBand band) => band switch
    {
        ConfidenceBand.VL => "\"VL\""u8,
        ConfidenceBand.L => "\"L\""u8,
        ConfidenceBand.M => "\"M\""u8,
        ConfidenceBand.H => "\"H\""u8,
        ConfidenceBand.VH => "\"VH\""u8,
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "band must be VL, L, M, H or VH"),
    };

    private static string Model(DecisionRecord record) =>
        record.Source.TryGetValue("model", out var model) ? model : SimulationDefaults.Model;

    /// <summary>The UTF-8 pieces of one token string, made once.</summary>
    private sealed class TokenText
    {
        private TokenText(byte[] escaped, byte[] logprobHead, byte[] logProbabilityHead, byte[] bytesTail, bool whole)
        {
            Escaped = escaped;
            LogprobHead = logprobHead;
            LogProbabilityHead = logProbabilityHead;
            BytesTail = bytesTail;
            Whole = whole;
        }

        /// <summary>The escaped string without quotes.</summary>
        public byte[] Escaped { get; }

        /// <summary><c>{"token":"…","logprob":</c></summary>
        public byte[] LogprobHead { get; }

        /// <summary><c>{"token":"…","logProbability":</c></summary>
        public byte[] LogProbabilityHead { get; }

        /// <summary><c>,"bytes":[…]</c>: the token's UTF-8 bytes as numbers (OpenAI).</summary>
        public byte[] BytesTail { get; }

        /// <summary>False when the token holds a lone surrogate, which escapes differently inside a longer text.</summary>
        public bool Whole { get; }

        public static TokenText Of(string token)
        {
            var buffer = new JsonLineBuffer(Stream.Null, 256);
            buffer.String(token);
            var quoted = buffer.Pending.ToArray();
            var escaped = quoted[1..^1];
            var tail = new JsonLineBuffer(Stream.Null, 256);
            tail.Raw(",\"bytes\":["u8);
            var utf8 = Encoding.UTF8.GetBytes(token);
            for (var i = 0; i < utf8.Length; i++)
            {
                if (i > 0)
                {
                    tail.Byte((byte)',');
                }

                tail.Number((long)utf8[i]);
            }

            tail.Byte((byte)']');
            var whole = !token.Any(char.IsSurrogate);
            return new TokenText(
                escaped,
                [.. "{\"token\":"u8, .. quoted, .. ",\"logprob\":"u8],
                [.. "{\"token\":"u8, .. quoted, .. ",\"logProbability\":"u8],
                tail.Pending.ToArray(),
                whole);
        }
    }
}

using System.Text.Json;

namespace Lpp;

/// <summary>
/// Parses one JSON Lines line into a <see cref="DecisionRecord"/>, validating every field on the way
/// (see the README's "Decision records"). Unknown fields are skipped. Not thread-safe: it caches label schemas
/// and short strings; use one parser per reader or thread.
/// </summary>
public sealed class DecisionRecordParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };
    private readonly Utf8StringCache _strings = new();
    private readonly List<LabelSchema> _schemas = [];
    private readonly List<KeyValuePair<string, string>> _source = [];
    private readonly List<string> _labels = [];
    private readonly List<KeyValuePair<string, Attribution>> _abstain = [];
    private readonly List<TokenLogprob> _alternatives = [];
    private readonly List<TokenLogprob> _nested = [];

    /// <summary>Parses <paramref name="utf8Json"/>, or throws <see cref="RecordFormatException"/> naming the field at fault.</summary>
    /// <exception cref="RecordFormatException">The line is not a valid decision record.</exception>
    public DecisionRecord Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            return ParseRecord(ref reader);
        }
        catch (JsonException e)
        {
            throw new RecordFormatException($"invalid JSON: {OneLine(e.Message)}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new RecordFormatException($"invalid JSON: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>Parses <paramref name="utf8Json"/>; on failure returns false with a one-line reason.</summary>
    public bool TryParse(ReadOnlySpan<byte> utf8Json, out DecisionRecord? record, out string? error)
    {
        try
        {
            record = Parse(utf8Json);
            error = null;
            return true;
        }
        catch (RecordFormatException e)
        {
            record = null;
            error = e.Message;
            return false;
        }
    }

    private DecisionRecord ParseRecord(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RecordFormatException("a record must be a JSON object");
        }

        string? id = null;
        string? truth = null;
        var weight = 1.0;
        string? error = null;
        string? errorKind = null;
        var haveLabels = false;
        IReadOnlyDictionary<string, string>? source = null;
        LlmOutput? output = null;
        _labels.Clear();
        _abstain.Clear();

        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = ReadString(ref reader, "id", allowNull: false, cache: false);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                ReadLabels(ref reader);
                haveLabels = true;
            }
            else if (reader.ValueTextEquals("abstain_labels"u8))
            {
                ReadAbstainLabels(ref reader);
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                source = ReadSource(ref reader);
            }
            else if (reader.ValueTextEquals("output"u8))
            {
                output = ReadOutput(ref reader);
            }
            else if (reader.ValueTextEquals("truth"u8))
            {
                truth = ReadString(ref reader, "truth", allowNull: true, cache: true);
            }
            else if (reader.ValueTextEquals("weight"u8))
            {
                weight = ReadWeight(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                error = ReadString(ref reader, "error", allowNull: true, cache: false);
            }
            else if (reader.ValueTextEquals("error_kind"u8))
            {
                errorKind = ReadString(ref reader, "error_kind", allowNull: true, cache: true);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new RecordFormatException("unexpected content after the record object");
        }

        if (id is null)
        {
            throw new RecordFormatException("missing id");
        }

        if (id.Length == 0)
        {
            throw new RecordFormatException("id must not be empty");
        }

        if (!haveLabels)
        {
            throw new RecordFormatException("missing labels");
        }

        var schema = InternSchema();
        if (truth is not null && !schema.IsDecisionLabel(truth))
        {
            throw new RecordFormatException($"truth '{truth}' is not one of labels [{string.Join(", ", schema.Labels)}]");
        }

        return new DecisionRecord
        {
            Id = id,
            Schema = schema,
            Source = source ?? SourceAttributes.Empty,
            Output = output ?? LlmOutput.Empty,
            Truth = truth,
            Weight = weight,
            NoAnswer = NoAnswer(error, errorKind, output),
        };
    }

    private LabelSchema InternSchema()
    {
        // Records of a file share a handful of schemas: find the one these labels spell before building a new one.
        foreach (var known in _schemas)
        {
            if (Spells(known))
            {
                return known;
            }
        }

        LabelSchema created;
        try
        {
            created = new LabelSchema(_labels, _abstain);
        }
        catch (ArgumentException e)
        {
            throw new RecordFormatException(e.Message.Split(" (Parameter", 2)[0]);
        }

        if (_schemas.Count < 64)
        {
            _schemas.Insert(0, created);
        }

        return created;
    }

    private bool Spells(LabelSchema schema)
    {
        if (schema.Labels.Count != _labels.Count || schema.AbstainLabels.Count != _abstain.Count)
        {
            return false;
        }

        for (var i = 0; i < _labels.Count; i++)
        {
            if (!string.Equals(schema.Labels[i], _labels[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        for (var i = 0; i < _abstain.Count; i++)
        {
            if (!string.Equals(schema.AbstainLabels[i].Key, _abstain[i].Key, StringComparison.Ordinal) || schema.AbstainLabels[i].Value != _abstain[i].Value)
            {
                return false;
            }
        }

        return true;
    }

    private void ReadLabels(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            throw new RecordFormatException("labels must be a list of strings");
        }

        _labels.Clear();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new RecordFormatException($"labels[{_labels.Count}] must be a string");
            }

            var label = _strings.Get(ref reader);
            if (label.Length == 0)
            {
                throw new RecordFormatException($"labels[{_labels.Count}] must not be empty");
            }

            _labels.Add(label);
        }

        if (_labels.Count == 0)
        {
            throw new RecordFormatException("labels must not be empty");
        }
    }

    private void ReadAbstainLabels(ref Utf8JsonReader reader)
    {
        _abstain.Clear();
        var token = Next(ref reader);
        if (token == JsonTokenType.Null)
        {
            return;
        }

        if (token != JsonTokenType.StartObject)
        {
            throw new RecordFormatException("abstain_labels must be an object mapping labels to \"evidence\" or \"definition\"");
        }

        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var label = _strings.Get(ref reader);
            Next(ref reader);
            Attribution attribution;
            if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("evidence"u8))
            {
                attribution = Attribution.Evidence;
            }
            else if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("definition"u8))
            {
                attribution = Attribution.Definition;
            }
            else
            {
                throw new RecordFormatException($"abstain_labels['{label}'] must be \"evidence\" or \"definition\"");
            }

            _abstain.Add(new(label, attribution));
        }
    }

    private SourceAttributes ReadSource(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Null)
        {
            return SourceAttributes.Empty;
        }

        if (token != JsonTokenType.StartObject)
        {
            throw new RecordFormatException("source must be an object of string attributes");
        }

        _source.Clear();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = _strings.Get(ref reader);
            switch (Next(ref reader))
            {
                case JsonTokenType.String:
                    SetSource(key, _strings.Get(ref reader));
                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                    SetSource(key, System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
                    break;
                case JsonTokenType.Null:
                    break;
                default:
                    throw new RecordFormatException($"source.{key} must be a string");
            }
        }

        return SourceAttributes.FromDistinct(_source);
    }

    private void SetSource(string key, string value)
    {
        for (var i = 0; i < _source.Count; i++)
        {
            if (string.Equals(_source[i].Key, key, StringComparison.Ordinal))
            {
                _source[i] = new(key, value);
                return;
            }
        }

        _source.Add(new(key, value));
    }

    private LlmOutput? ReadOutput(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Null)
        {
            return null;
        }

        if (token != JsonTokenType.StartObject)
        {
            throw new RecordFormatException("output must be an object");
        }

        string? outcome = null;
        string? raw = null;
        double? confidence = null;
        ConfidenceBand? band = null;
        TokenLogprob[]? top = null;
        ReasoningToken[]? reasoning = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("outcome"u8))
            {
                outcome = ReadString(ref reader, "output.outcome", allowNull: true, cache: true);
            }
            else if (reader.ValueTextEquals("raw_answer"u8))
            {
                raw = Next(ref reader) == JsonTokenType.String ? reader.GetString() : SkipNonString(ref reader, "output.raw_answer");
            }
            else if (reader.ValueTextEquals("verbalized_confidence"u8))
            {
                confidence = ReadConfidence(ref reader);
            }
            else if (reader.ValueTextEquals("band"u8))
            {
                band = ReadBand(ref reader);
            }
            else if (reader.ValueTextEquals("outcome_top_logprobs"u8))
            {
                top = ReadAlternatives(ref reader, "output.outcome_top_logprobs", _alternatives);
            }
            else if (reader.ValueTextEquals("reasoning_tokens"u8))
            {
                reasoning = ReadReasoning(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new LlmOutput
        {
            Outcome = outcome,
            RawAnswer = raw,
            VerbalizedConfidence = confidence,
            Band = band,
            OutcomeTopLogprobs = top,
            ReasoningTokens = reasoning,
        };
    }

    /// <summary>
    /// Why there is no answer: an error of kind transport, refused or media; for records written before
    /// <c>error_kind</c> existed, an error with neither an outcome nor a raw answer. An invalid answer is the LLM's.
    /// </summary>
    private static string? NoAnswer(string? error, string? kind, LlmOutput? output) => kind switch
    {
        null => error is not null && output?.Outcome is null && output?.RawAnswer is null ? error : null,
        "transport" or "refused" or "media" => error ?? kind,
        "invalid" => null,
        _ => throw new RecordFormatException($"error_kind '{kind}' is not one of transport, refused, media, invalid"),
    };

    private static string? SkipNonString(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        throw new RecordFormatException($"{field} must be a string or null");
    }

    /// <summary>A record's <c>weight</c>: a positive finite number (absent means 1; null is refused, it says nothing).</summary>
    private static double ReadWeight(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value) && value > 0)
        {
            return value;
        }

        var text = token switch
        {
            JsonTokenType.String => $"\"{reader.GetString()}\"",
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            _ => token.ToString().ToLowerInvariant(),
        };
        throw new RecordFormatException($"weight must be a positive finite number, got {(text.Length > 40 ? text[..40] + "..." : text)}");
    }

    private static double? ReadConfidence(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Null)
        {
            return null;
        }

        if (token != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new RecordFormatException("output.verbalized_confidence must be a number in [0, 100] or null");
        }

        if (value is < 0 or > 100)
        {
            throw new RecordFormatException($"output.verbalized_confidence {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is outside [0, 100]");
        }

        return value;
    }

    private static ConfidenceBand? ReadBand(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Null)
        {
            return null;
        }

        if (token == JsonTokenType.String)
        {
            var text = reader.GetString();
            if (text is not null && Enum.TryParse<ConfidenceBand>(text, ignoreCase: true, out var band) && !int.TryParse(text, out _))
            {
                return band;
            }

            throw new RecordFormatException($"output.band '{text}' is not one of VL, L, M, H, VH");
        }

        throw new RecordFormatException("output.band must be one of VL, L, M, H, VH or null");
    }

    private TokenLogprob[]? ReadAlternatives(ref Utf8JsonReader reader, string field, List<TokenLogprob> buffer)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Null)
        {
            return null;
        }

        if (token != JsonTokenType.StartArray)
        {
            throw new RecordFormatException($"{field} must be a list of {{token, logprob}} or null");
        }

        buffer.Clear();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            buffer.Add(ReadTokenLogprob(ref reader, field, buffer.Count, allowNested: false, out _));
        }

        return [.. buffer];
    }

    private TokenLogprob ReadTokenLogprob(ref Utf8JsonReader reader, string field, int index, bool allowNested, out TokenLogprob[]? nested)
    {
        nested = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RecordFormatException($"{field}[{index}] must be an object with token and logprob");
        }

        string? text = null;
        double? logprob = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("token"u8))
            {
                if (Next(ref reader) != JsonTokenType.String)
                {
                    throw new RecordFormatException($"{field}[{index}].token must be a string");
                }

                text = _strings.Get(ref reader);
            }
            else if (reader.ValueTextEquals("logprob"u8))
            {
                if (Next(ref reader) != JsonTokenType.Number || !reader.TryGetDouble(out var value))
                {
                    throw new RecordFormatException($"{field}[{index}].logprob must be a number");
                }

                if (double.IsNaN(value) || value > 0)
                {
                    throw new RecordFormatException($"{field}[{index}].logprob {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is positive; log-probabilities are at most 0");
                }

                logprob = value;
            }
            else if (allowNested && reader.ValueTextEquals("top_logprobs"u8))
            {
                nested = ReadAlternatives(ref reader, $"{field}[{index}].top_logprobs", _nested);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (text is null)
        {
            throw new RecordFormatException($"{field}[{index}].token is missing");
        }

        if (logprob is null)
        {
            throw new RecordFormatException($"{field}[{index}].logprob is missing");
        }

        return new TokenLogprob(text, logprob.Value);
    }

    private ReasoningToken[]? ReadReasoning(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Null)
        {
            return null;
        }

        if (token != JsonTokenType.StartArray)
        {
            throw new RecordFormatException("output.reasoning_tokens must be a list or null");
        }

        var tokens = new List<ReasoningToken>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            var generated = ReadTokenLogprob(ref reader, "output.reasoning_tokens", tokens.Count, allowNested: true, out var alternatives);
            tokens.Add(new ReasoningToken(generated.Token, generated.Logprob, alternatives));
        }

        return [.. tokens];
    }

    private string? ReadString(ref Utf8JsonReader reader, string field, bool allowNull, bool cache)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.String)
        {
            return cache ? _strings.Get(ref reader) : reader.GetString();
        }

        if (token == JsonTokenType.Null && allowNull)
        {
            return null;
        }

        throw new RecordFormatException(allowNull ? $"{field} must be a string or null" : $"{field} must be a string");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new RecordFormatException("invalid JSON: the record ends early");
        }

        return reader.TokenType;
    }

    private static string OneLine(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ");
    }
}

namespace Lpp;

/// <summary>
/// Computes the LPP features of <see cref="FeatureSchema"/> from a decision record. A family whose inputs are
/// missing is NaN (missing), never a made-up value: no logprobs must not look like certainty. Thread-safe.
/// </summary>
/// <remarks>
/// Conventions: alternatives with a non-finite logprob or one at or below -1000 have probability 0 and are
/// dropped; an alternative repeated with the same token text (vLLM can repeat the chosen token) counts once, at its
/// highest logprob. eps = 1e-12; entropies in bits; quantiles interpolate linearly (numpy's default).
/// </remarks>
public sealed class LppFeatureExtractor
{
    private const double Eps = LppFeatureDefaults.Eps;
    private static readonly double LnEps = Math.Log(Eps);

    // Scratch buffers up to this many entries go on the stack, longer ones on the heap: their sizes come from the
    // input (alternatives, labels, top-k), which may be far larger than any provider sends.
    private const int StackLimit = 64;
    private readonly int _topK;

    /// <summary>Creates an extractor; <paramref name="options"/> are validated.</summary>
    public LppFeatureExtractor(LppFeatureOptions? options = null)
    {
        options ??= new LppFeatureOptions();
        options.Validate();
        _topK = options.TopK;
    }

    /// <summary>The options in force.</summary>
    public LppFeatureOptions Options => new() { TopK = _topK };

    /// <summary>Returns a new feature vector (NaN = missing) in <see cref="FeatureSchema"/> order.</summary>
    public double[] Extract(DecisionRecord record)
    {
        var features = new double[FeatureSchema.Count];
        Extract(record, features);
        return features;
    }

    /// <summary>Writes the features of <paramref name="record"/> into <paramref name="features"/> (NaN = missing).</summary>
    public void Extract(DecisionRecord record, Span<double> features)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (features.Length < FeatureSchema.Count)
        {
            throw new ArgumentException($"destination holds {features.Length} values, the schema has {FeatureSchema.Count}", nameof(features));
        }

        features[..FeatureSchema.Count].Fill(double.NaN);
        var output = record.Output;
        var hasLogprobs = DecisionToken(record, output.OutcomeTopLogprobs, features);
        var hasReasoning = Reasoning(output.ReasoningTokens, features);
        Verbalized(output, features);
        Attribution(record, features);
        features[Ix.HasLogprobs] = hasLogprobs ? 1 : 0;
        features[Ix.HasReasoning] = hasReasoning ? 1 : 0;
        features[Ix.HasVerbalized] = output.VerbalizedConfidence is null ? 0 : 1;
        features[Ix.HasBand] = output.Band is null ? 0 : 1;
        features[Ix.OutcomeInvalid] = record.OutcomeInvalid ? 1 : 0;
    }

    /// <summary>Families A, B and C. Returns false (all missing) when no alternative has positive probability.</summary>
    private bool DecisionToken(DecisionRecord record, IReadOnlyList<TokenLogprob>? alternatives, Span<double> f)
    {
        if (alternatives is null || alternatives.Count == 0)
        {
            return false;
        }

        var count = alternatives.Count;
        Span<double> logprobs = count <= StackLimit ? stackalloc double[count] : new double[count];
        Span<int> labelOf = count <= StackLimit ? stackalloc int[count] : new int[count];
        var n = DistinctUsable(alternatives, logprobs, labelOf, record.Schema);
        if (n == 0)
        {
            return false;
        }

        // B (first, while logprobs and labelOf are aligned): probability mass per schema label.
        var labels = record.Schema.AllLabels.Count;
        Span<double> mass = labels <= StackLimit ? stackalloc double[labels] : new double[labels];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (labelOf[i] >= 0)
            {
                var m = Math.Exp(logprobs[i]);
                mass[labelOf[i]] += m;
                total += m;
            }
        }

        var sorted = logprobs[..n];
        SortDescending(sorted);

        // A: the k most probable alternatives, renormalised.
        var k = Math.Min(_topK, n);
        Span<double> p = k <= StackLimit ? stackalloc double[k] : new double[k];
        Normalise(sorted[..k], p);
        Distribution.Of(p).WriteTo(f, Ix.TopkEntropy);

        // C (unfiltered): raw log-odds of the two most probable returned alternatives.
        var l1 = Math.Max(sorted[0], LnEps);
        var l2 = n > 1 ? Math.Max(sorted[1], LnEps) : LnEps;
        f[Ix.LogoddsMargin] = l2 - l1;
        f[Ix.LogoddsMarginNorm] = l2 == 0 ? 0 : (l2 - l1) / l2;

        f[Ix.LabelMass] = Math.Min(total, 1.0);
        if (total > 0)
        {
            Span<double> q = labels <= StackLimit ? stackalloc double[labels] : new double[labels];
            for (var i = 0; i < labels; i++)
            {
                q[i] = mass[i] / total;
            }

            var outcome = record.Schema.IndexOf(record.Output.Outcome);
            f[Ix.LabelProbOutcome] = outcome >= 0 ? q[outcome] : double.NaN;
            SortDescending(q);
            Distribution.Of(q).WriteTo(f, Ix.LabelEntropy);

            Span<double> sortedMass = labels <= StackLimit ? stackalloc double[labels] : new double[labels];
            mass.CopyTo(sortedMass);
            SortDescending(sortedMass);
            var m1 = Math.Log(Math.Max(sortedMass[0], Eps));
            var m2 = labels > 1 ? Math.Log(Math.Max(sortedMass[1], Eps)) : LnEps;
            f[Ix.LabelLogoddsMargin] = m2 - m1;
            f[Ix.LabelLogoddsMarginNorm] = m2 == 0 ? 0 : (m2 - m1) / m2;
        }

        return true;
    }

    /// <summary>
    /// Copies the usable logprobs of distinct tokens into <paramref name="logprobs"/> and the label each maps to into
    /// <paramref name="labelOf"/> (same order). Returns how many there are. A repeated token keeps its highest logprob.
    /// </summary>
    private static int DistinctUsable(IReadOnlyList<TokenLogprob> alternatives, Span<double> logprobs, Span<int> labelOf, LabelSchema schema)
    {
        Span<int> source = alternatives.Count <= StackLimit ? stackalloc int[alternatives.Count] : new int[alternatives.Count];
        var n = 0;
        for (var i = 0; i < alternatives.Count; i++)
        {
            var (token, logprob) = alternatives[i];
            if (!IsUsable(logprob))
            {
                continue;
            }

            var duplicate = -1;
            for (var j = 0; j < n; j++)
            {
                if (string.Equals(alternatives[source[j]].Token, token, StringComparison.Ordinal))
                {
                    duplicate = j;
                    break;
                }
            }

            if (duplicate >= 0)
            {
                logprobs[duplicate] = Math.Max(logprobs[duplicate], logprob);
                continue;
            }

            source[n] = i;
            logprobs[n] = logprob;
            labelOf[n] = schema.Matcher.Match(token);
            n++;
        }

        return n;
    }

    /// <summary>Families D and E. Returns false (all missing) when there are no reasoning tokens.</summary>
    private bool Reasoning(IReadOnlyList<ReasoningToken>? tokens, Span<double> f)
    {
        if (tokens is null || tokens.Count == 0)
        {
            return false;
        }

        var count = tokens.Count;
        var probs = new double[count];
        var entropies = new double[count];
        var withAlternatives = 0;
        var nll = 0.0;
        // Sized by the alternatives rather than by top-k, which may be any positive number (the options and a model
        // file's top_k accept int.MaxValue; the stack must not overflow): k = min(top-k, usable alternatives).
        Span<double> buffer = stackalloc double[StackLimit];
        Span<double> pBuffer = stackalloc double[StackLimit];
        for (var t = 0; t < count; t++)
        {
            var token = tokens[t];
            var prob = IsUsable(token.Logprob) ? Math.Exp(token.Logprob) : 0;
            probs[t] = prob;
            nll -= Math.Log(Math.Max(prob, Eps));
            if (token.TopLogprobs is { Count: > 0 } alternatives)
            {
                var lp = alternatives.Count <= buffer.Length ? buffer[..alternatives.Count] : new double[alternatives.Count];
                var n = 0;
                foreach (var alternative in alternatives)
                {
                    if (IsUsable(alternative.Logprob))
                    {
                        lp[n++] = alternative.Logprob;
                    }
                }

                if (n > 0)
                {
                    var sorted = lp[..n];
                    SortDescending(sorted);
                    var k = Math.Min(_topK, n);
                    var p = k <= pBuffer.Length ? pBuffer[..k] : new double[k];
                    Normalise(sorted[..k], p);
                    entropies[withAlternatives++] = Distribution.EntropyOf(p);
                }
            }
        }

        f[Ix.ReasoningNll] = nll;
        f[Ix.ReasoningPpl] = Math.Exp(nll / count);
        Array.Sort(probs);
        Quantiles(probs, f, Ix.ReasoningProbQ0);
        if (withAlternatives > 0)
        {
            var h = entropies.AsSpan(0, withAlternatives);
            var sum = 0.0;
            foreach (var value in h)
            {
                sum += value;
            }

            f[Ix.ReasoningEntropyMean] = sum / withAlternatives;
            h.Sort();
            Quantiles(h, f, Ix.ReasoningEntropyQ0);
        }

        return true;
    }

    private static void Verbalized(LlmOutput output, Span<double> f)
    {
        if (output.VerbalizedConfidence is { } confidence)
        {
            f[Ix.VerbalizedConfidence] = Math.Round(confidence / 5, MidpointRounding.AwayFromZero) * 5 / 100;
        }

        if (output.Band is { } band)
        {
            for (var b = 0; b < 5; b++)
            {
                f[Ix.BandVl + b] = (int)band == b ? 1 : 0;
            }
        }
    }

    private static void Attribution(DecisionRecord record, Span<double> f)
    {
        if (record.OutcomeInvalid)
        {
            return;
        }

        var attribution = record.Schema.AttributionOf(record.Output.Outcome);
        f[Ix.AbstainEvidence] = attribution == Lpp.Attribution.Evidence ? 1 : 0;
        f[Ix.AbstainDefinition] = attribution == Lpp.Attribution.Definition ? 1 : 0;
        f[Ix.AbstainAny] = attribution is null ? 0 : 1;
    }

    private static void SortDescending(Span<double> values)
    {
        values.Sort();
        values.Reverse();
    }

    private static bool IsUsable(double logprob) => double.IsFinite(logprob) && logprob > LppFeatureDefaults.ZeroProbabilityLogprob;

    /// <summary>exp(l - max) renormalised to sum 1 (stable for very negative logprobs); <paramref name="sortedLogprobs"/> is descending.</summary>
    private static void Normalise(ReadOnlySpan<double> sortedLogprobs, Span<double> p)
    {
        var max = sortedLogprobs[0];
        var sum = 0.0;
        for (var i = 0; i < sortedLogprobs.Length; i++)
        {
            p[i] = Math.Exp(sortedLogprobs[i] - max);
            sum += p[i];
        }

        for (var i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }
    }

    /// <summary>q0, q25, q50, q75, q100 of ascending <paramref name="sorted"/> with linear interpolation.</summary>
    private static void Quantiles(ReadOnlySpan<double> sorted, Span<double> f, int first)
    {
        for (var i = 0; i < 5; i++)
        {
            var position = i * 0.25 * (sorted.Length - 1);
            var lo = (int)Math.Floor(position);
            var hi = Math.Min(lo + 1, sorted.Length - 1);
            f[first + i] = sorted[lo] + ((sorted[hi] - sorted[lo]) * (position - lo));
        }
    }
}

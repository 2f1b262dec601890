using System.Globalization;
using System.Text;

namespace Lpp.Simulation;

/// <summary>
/// The token layout of a simulated answer, shared by the simulator (which keeps the text as <c>raw_answer</c>) and
/// the provider-body writer (which lists the tokens with their logprobs), so both spell the same JSON:
/// <c>{"outcome":1,"p_correct":85,"band":"H"}</c>, with <c>,"reasoning_steps":[...]</c> before the closing brace
/// under chain of thought. Tokens split as a BPE tokenizer would: <c>{"</c> <c>outcome</c> <c>":</c> <c>1</c> ...
/// </summary>
internal static class SimulatedAnswer
{
    private static readonly AnswerToken Open = Structural("{\"");
    private static readonly AnswerToken OutcomeKey = Structural("outcome");
    private static readonly AnswerToken Colon = Structural("\":");
    private static readonly AnswerToken Comma = Structural(",\"");
    private static readonly AnswerToken P = Structural("p");
    private static readonly AnswerToken Correct = Structural("_correct");
    private static readonly AnswerToken BandKey = Structural("band");
    private static readonly AnswerToken ColonQuote = Structural("\":\"");
    private static readonly AnswerToken Quote = Structural("\"");
    private static readonly AnswerToken Reasoning = Structural("reasoning");
    private static readonly AnswerToken Steps = Structural("_steps");
    private static readonly AnswerToken Close = Structural("}");
    private static readonly AnswerToken[] Percents = [.. Enumerable.Range(0, 21).Select(i => Structural((i * 5).ToString(CultureInfo.InvariantCulture)))];
    private static readonly AnswerToken[] Bands = [.. Enum.GetValues<ConfidenceBand>().Select(b => Structural(b.ToString()))];

    /// <summary>One generated token: its text, its logprob and the alternatives at its position (the token included).</summary>
    public readonly record struct AnswerToken(string Token, double Logprob, IReadOnlyList<TokenLogprob> Alternatives);

    /// <summary>A near-certain token whose only listed alternative is itself.</summary>
    public static AnswerToken Structural(string token) =>
        new(token, SimulationDefaults.StructuralLogprob, [new TokenLogprob(token, SimulationDefaults.StructuralLogprob)]);

    /// <summary>The reasoning token of a structural token.</summary>
    public static ReasoningToken StructuralReasoning(string token) =>
        new(token, SimulationDefaults.StructuralLogprob, [new TokenLogprob(token, SimulationDefaults.StructuralLogprob)]);

    /// <summary>Appends the tokens of an answer to <paramref name="into"/>.</summary>
    public static void Layout(string outcome, IReadOnlyList<TokenLogprob> outcomeAlternatives, int percent, ConfidenceBand band, IReadOnlyList<ReasoningToken>? reasoning, List<AnswerToken> into)
    {
        into.Add(Open);
        into.Add(OutcomeKey);
        into.Add(Colon);
        into.Add(new AnswerToken(outcome, ChosenLogprob(outcome, outcomeAlternatives), outcomeAlternatives));
        into.Add(Comma);
        into.Add(P);
        into.Add(Correct);
        into.Add(Colon);
        into.Add(Percents[percent / 5]);
        into.Add(Comma);
        into.Add(BandKey);
        into.Add(ColonQuote);
        into.Add(Bands[(int)band]);
        into.Add(Quote);
        if (reasoning is not null)
        {
            into.Add(Comma);
            into.Add(Reasoning);
            into.Add(Steps);
            into.Add(Colon);
            foreach (var token in reasoning)
            {
                into.Add(new AnswerToken(token.Token, token.Logprob, token.TopLogprobs ?? []));
            }
        }

        into.Add(Close);
    }

    /// <summary>The answer text: the tokens concatenated.</summary>
    public static string Text(List<AnswerToken> tokens, StringBuilder buffer)
    {
        buffer.Clear();
        foreach (var token in tokens)
        {
            buffer.Append(token.Token);
        }

        return buffer.ToString();
    }

    private static double ChosenLogprob(string outcome, IReadOnlyList<TokenLogprob> alternatives)
    {
        foreach (var (token, logprob) in alternatives)
        {
            if (string.Equals(token, outcome, StringComparison.Ordinal))
            {
                return logprob;
            }
        }

        throw new ArgumentException($"the alternatives do not list the outcome token '{outcome}'", nameof(alternatives));
    }
}

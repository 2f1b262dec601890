using System.Globalization;
using System.Text;

namespace Lpp.Benchmarks;

/// <summary>Inputs shared by the benchmarks: real records from ../shared and generated heavy records.</summary>
internal static class BenchData
{
    /// <summary>../shared beside the repository (benchmarks run from anywhere below it).</summary>
    public static string Shared(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lpp.slnx")))
        {
            dir = dir.Parent;
        }

        var path = Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "..", "shared", relative));
        return File.Exists(path) ? path : throw new FileNotFoundException("benchmarks need ../shared beside the checkout", path);
    }

    /// <summary>The lines of a JSON Lines file as UTF-8 byte arrays.</summary>
    public static byte[][] Lines(string path) => [.. File.ReadLines(path).Where(l => l.Length > 0).Select(Encoding.UTF8.GetBytes)];

    /// <summary>Moderation records with 20 alternatives at the decision token and <paramref name="reasoning"/> reasoning tokens of 20 alternatives each.</summary>
    public static byte[][] Heavy(int count, int reasoning, int seed)
    {
        var random = new Random(seed);
        var lines = new byte[count][];
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Clear();
            sb.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"item-{i}/H\",\"source\":{{\"concept\":\"H\",\"model\":\"sim\",\"language\":\"en\"}},\"labels\":[\"0\",\"1\"],\"abstain_labels\":{{\"2\":\"evidence\",\"3\":\"definition\"}},");
            sb.Append(CultureInfo.InvariantCulture, $"\"output\":{{\"outcome\":\"{random.Next(4)}\",\"verbalized_confidence\":{5 * random.Next(21)},\"band\":\"H\",\"outcome_top_logprobs\":");
            Alternatives(sb, random);
            sb.Append(",\"reasoning_tokens\":[");
            for (var t = 0; t < reasoning; t++)
            {
                sb.Append(t == 0 ? "" : ",");
                sb.Append(CultureInfo.InvariantCulture, $"{{\"token\":\" w{random.Next(500)}\",\"logprob\":{-random.NextDouble() * 2:R},\"top_logprobs\":");
                Alternatives(sb, random);
                sb.Append('}');
            }

            sb.Append("]},\"truth\":\"1\"}");
            lines[i] = Encoding.UTF8.GetBytes(sb.ToString());
        }

        return lines;
    }

    private static void Alternatives(StringBuilder sb, Random random)
    {
        sb.Append('[');
        var logprob = -random.NextDouble();
        for (var a = 0; a < 20; a++)
        {
            sb.Append(a == 0 ? "" : ",");
            var token = a < 4 ? a.ToString(CultureInfo.InvariantCulture) : (a % 3) switch { 0 => " ", 1 => "\\\"", _ => "{" + a.ToString(CultureInfo.InvariantCulture) };
            sb.Append(CultureInfo.InvariantCulture, $"{{\"token\":\"{token}\",\"logprob\":{logprob:R}}}");
            logprob -= random.NextDouble() * 2;
        }

        sb.Append(']');
    }
}

using System.Globalization;
using System.Text;

namespace Lpp.Cli;

/// <summary>The training-shape check over many records: how many fit, and how many were refused for each reason.</summary>
internal sealed class ShapeCheckSummary
{
    private ShapeCheckSummary(List<DecisionRecord> fitting, SortedDictionary<string, int> reasons, SortedDictionary<string, int> otherModels, int records)
    {
        Fitting = fitting;
        Reasons = reasons;
        OtherModels = otherModels;
        Records = records;
    }

    /// <summary>The records that fit.</summary>
    public List<DecisionRecord> Fitting { get; }

    /// <summary>Refused records per reason.</summary>
    public SortedDictionary<string, int> Reasons { get; }

    /// <summary>Records per <c>source.model</c> the training data did not have (a warning, not a refusal).</summary>
    public SortedDictionary<string, int> OtherModels { get; }

    /// <summary>Records checked.</summary>
    public int Records { get; }

    /// <summary>Refused records.</summary>
    public int Refused => Records - Fitting.Count;

    /// <summary>Checks every record against the model's <see cref="EscalationModel.ExpectedShape"/>.</summary>
    public static ShapeCheckSummary Run(EscalationModel model, IEnumerable<DecisionRecord> records)
    {
        var shape = model.ExpectedShape;
        var fitting = new List<DecisionRecord>();
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var otherModels = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var count = 0;
        foreach (var record in records)
        {
            count++;
            if (shape.UnseenModel(record) is { } other)
            {
                otherModels[other] = otherModels.GetValueOrDefault(other) + 1;
            }

            if (shape.Check(record) is { } mismatch)
            {
                reasons[mismatch.Reason] = reasons.GetValueOrDefault(mismatch.Reason) + 1;
            }
            else
            {
                fitting.Add(record);
            }
        }

        return new ShapeCheckSummary(fitting, reasons, otherModels, count);
    }

    /// <summary>The most frequent reason with its count, e.g. "3,036 records: no log-probabilities ...".</summary>
    public string FirstReason()
    {
        var (reason, n) = Reasons.OrderByDescending(p => p.Value).First();
        return string.Create(CultureInfo.InvariantCulture, $"{n} record(s): {reason}");
    }

    /// <summary>Lines for a person: counts, reasons, other models.</summary>
    public string Describe(string inputs)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"records of {inputs}: {Records} checked, {Fitting.Count} fit, {Refused} not trained for");
        foreach (var (reason, n) in Reasons.OrderByDescending(p => p.Value))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {n,7}  {reason}");
        }

        foreach (var (other, n) in OtherModels)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  warning: {n} record(s) with source.model {other}, which the training data did not have");
        }

        return sb.ToString();
    }
}

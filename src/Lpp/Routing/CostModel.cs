using System.Globalization;

namespace Lpp;

/// <summary>
/// The cost of a trust/escalate policy, counted over outcomes with z = 1 when the LLM was right:
/// FP = trusted and wrong, TN = escalated and wrong, FN = escalated and right (TP = trusted and right costs 0).
/// Lower is better. See <see cref="CostForm"/> for the two forms; r = c_review / c_error.
/// </summary>
/// <param name="Form">Paper (relative to always-trust) or absolute.</param>
/// <param name="CError">Cost of letting a wrong answer through, &gt; 0.</param>
/// <param name="CReview">Cost of one human review, &gt; 0.</param>
public sealed record CostModel(CostForm Form, double CError, double CReview)
{
    /// <summary>The paper's defaults: paper form, c_error = 1, c_review = 0.64.</summary>
    public static CostModel Default { get; } = new(CostForm.Paper, CostDefaults.CError, CostDefaults.CReview);

    /// <summary>r = c_review / c_error.</summary>
    public double Ratio => CReview / CError;

    /// <summary>Total cost of the confusion counts (FP = trusted and wrong, TN = escalated and wrong, FN = escalated and right).</summary>
    public double Cost(double fp, double tn, double fn) => Form switch
    {
        CostForm.Paper => (CError * fp) + ((CReview - CError) * tn) + (CReview * fn),
        _ => (CError * fp) + (CReview * (tn + fn)),
    };

    /// <summary>Cost of one item: trusting costs c_error when it is wrong; escalating costs per the form.</summary>
    public double ItemCost(bool trusted, bool correct) => trusted
        ? (correct ? 0 : CError)
        : Form == CostForm.Paper ? (correct ? CReview : CReview - CError) : CReview;

    /// <summary>
    /// The cost-optimal threshold for a perfectly calibrated score s = P(correct): trust iff s ≥ τ*.
    /// Paper form: trusting costs c_error(1 − s), escalating c_review − c_error(1 − s), so τ* = 1 − r/2.
    /// Absolute form: trusting costs c_error(1 − s), escalating c_review, so τ* = 1 − r.
    /// Rounded to <see cref="ThresholdDecimals"/> decimal places, so that the defaults give 0.68 (written as such in
    /// every file) rather than the rounding error of 1 − 0.32, 0.6799999999999999.
    /// </summary>
    public double CalibratedOptimalThreshold => Math.Round(Form == CostForm.Paper ? 1 - (Ratio / 2) : 1 - Ratio, ThresholdDecimals);

    /// <summary>Decimal places of a closed-form threshold: 12, far below any difference between two scores that matters.</summary>
    public const int ThresholdDecimals = 12;

    /// <summary>Throws with a message naming the option and its range when a cost is not a positive finite number, or a review costs at least as much as an error.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A cost is not positive and finite, or c_review ≥ c_error.</exception>
    public void Validate()
    {
        if (!(CError > 0) || !double.IsFinite(CError))
        {
            throw new ArgumentOutOfRangeException(nameof(CError), CError, $"cost-error must be a positive number (got {CError.ToString(CultureInfo.InvariantCulture)})");
        }

        if (!(CReview > 0) || !double.IsFinite(CReview))
        {
            throw new ArgumentOutOfRangeException(nameof(CReview), CReview, $"cost-review must be a positive number (got {CReview.ToString(CultureInfo.InvariantCulture)})");
        }

        if (!(CReview < CError))
        {
            throw new ArgumentOutOfRangeException(nameof(CReview), CReview, string.Create(CultureInfo.InvariantCulture, $"cost-review must be less than cost-error (got {CReview} and {CError}): a review that costs as much as the error it prevents is never worth it, and tau would be {CalibratedOptimalThreshold} (trust everything)"));
        }
    }

    /// <summary>The form's name as written in files and on the command line: "paper" or "absolute".</summary>
    public string FormName => Form == CostForm.Paper ? "paper" : "absolute";

    /// <summary>Parses "paper" or "absolute".</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static CostForm ParseForm(string text) => text switch
    {
        "paper" => CostForm.Paper,
        "absolute" => CostForm.Absolute,
        _ => throw new FormatException($"cost model '{text}' is not one of paper, absolute"),
    };
}

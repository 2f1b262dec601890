namespace Lpp;

/// <summary>
/// Evaluation metrics of binary predictions, matching scikit-learn 1.2.1. Labels are 0 (the LLM erred) and 1 (it was
/// right) unless stated otherwise; scores and probabilities are for class 1.
/// </summary>
public static class Metrics
{
    /// <summary>
    /// Area under the ROC curve of <paramref name="scores"/> for class 1: the probability that a random class-1 row
    /// scores higher than a random class-0 row, ties counting one half (the Mann–Whitney U with mid-ranks, equal to
    /// sklearn's <c>roc_auc_score</c>). 1 is perfect ranking, 0.5 chance; higher is better.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, only one class occurs, or a score is NaN.</exception>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<int> y)
    {
        Guard.SameLength(scores.Length, y.Length, nameof(y), "one per score");
        var (negatives, positives) = BinaryLabels.Count(y, nameof(y));
        if (negatives == 0 || positives == 0)
        {
            throw new ArgumentException($"ROC AUC needs both classes, got {negatives} of class 0 and {positives} of class 1", nameof(y));
        }

        var order = new (double Score, int Label)[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"score {i} is NaN", nameof(scores));
            }

            order[i] = (scores[i], y[i]);
        }

        Array.Sort(order);

        // Sum of the mid-ranks (1-based) of class-1 rows.
        var rankSum = 0.0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            var positivesInTie = 0;
            while (end < order.Length && order[end].Score == order[start].Score)
            {
                positivesInTie += order[end].Label;
                end++;
            }

            rankSum += positivesInTie * ((start + 1 + end) / 2.0);
            start = end;
        }

        return (rankSum - (positives * (positives + 1.0) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// F1 of <paramref name="positiveClass"/>: 2·TP / (2·TP + FP + FN), the harmonic mean of its precision and
    /// recall; 0 when the class is neither true nor predicted anywhere (sklearn's zero_division result). Higher is better.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public static double F1(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPredicted, int positiveClass)
    {
        Guard.SameLength(yTrue.Length, yPredicted.Length, nameof(yPredicted), "one per true label");
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (var i = 0; i < yTrue.Length; i++)
        {
            var actual = yTrue[i] == positiveClass;
            var predicted = yPredicted[i] == positiveClass;
            truePositives += actual && predicted ? 1 : 0;
            falsePositives += !actual && predicted ? 1 : 0;
            falseNegatives += actual && !predicted ? 1 : 0;
        }

        var denominator = (2 * truePositives) + falsePositives + falseNegatives;
        return denominator == 0 ? 0 : 2.0 * truePositives / denominator;
    }

    /// <summary>
    /// Macro F1: the unweighted mean of <see cref="F1"/> over every label that occurs in <paramref name="yTrue"/> or
    /// <paramref name="yPredicted"/> (sklearn's <c>average="macro"</c>). Higher is better.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or both are empty.</exception>
    public static double MacroF1(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPredicted)
    {
        Guard.SameLength(yTrue.Length, yPredicted.Length, nameof(yPredicted), "one per true label");
        if (yTrue.IsEmpty)
        {
            throw new ArgumentException("macro F1 of 0 rows is undefined", nameof(yTrue));
        }

        var labels = new SortedSet<int>();
        foreach (var label in yTrue)
        {
            labels.Add(label);
        }

        foreach (var label in yPredicted)
        {
            labels.Add(label);
        }

        var sum = 0.0;
        foreach (var label in labels)
        {
            sum += F1(yTrue, yPredicted, label);
        }

        return sum / labels.Count;
    }

    /// <summary>
    /// Mean log loss (cross-entropy) −(1/n) Σ [y ln p + (1 − y) ln(1 − p)] of class-1 probabilities p, each clipped to
    /// [ε, 1 − ε] with ε = 2.22e-16 (sklearn's <c>eps="auto"</c> for float64). 0 is perfect; lower is better.
    /// </summary>
    /// <exception cref="ArgumentException">No rows, lengths differ, a label is not 0/1, or a probability is outside [0, 1] or NaN.</exception>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> y)
    {
        Guard.SameLength(probabilities.Length, y.Length, nameof(y), "one per probability");
        if (y.IsEmpty)
        {
            throw new ArgumentException("log loss of 0 rows is undefined", nameof(y));
        }

        BinaryLabels.Count(y, nameof(y));
        var sum = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var p = probabilities[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"probability {i} is {p}, outside [0, 1]", nameof(probabilities));
            }

            p = Math.Clamp(p, DenseMath.MachineEpsilon, 1 - DenseMath.MachineEpsilon);
            sum -= y[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / y.Length;
    }
}

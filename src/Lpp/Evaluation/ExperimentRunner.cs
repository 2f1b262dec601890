using System.Collections.Immutable;

namespace Lpp;

/// <summary>
/// The paper's protocol end to end, per dataset and per seeded split: a stratified train/test split (or a fixed number
/// of test errors), training on the training part, every method measured on the untouched test part, family
/// ablations and the cost-ratio table. Split r uses seed Seed + r for the split and for training.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Runs the experiment on <paramref name="records"/>, one dataset per <c>source.model</c> (see <see cref="ByModel"/>).</summary>
    /// <exception cref="ExperimentException">A dataset cannot be split or trained on; the message names it.</exception>
    public static ExperimentResult Run(IReadOnlyList<DecisionRecord> records, ExperimentOptions options, IProgress<ExperimentProgress>? progress = null) =>
        Run(ByModel(records), options, progress);

    /// <summary>Runs the experiment on each dataset in turn.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ExperimentException">A dataset cannot be split or trained on; the message names it.</exception>
    public static ExperimentResult Run(IReadOnlyList<ExperimentDataset> datasets, ExperimentOptions options, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (datasets.Count == 0)
        {
            throw new ExperimentException("no records to experiment on");
        }

        foreach (var dataset in datasets)
        {
            Check(dataset, options);
        }

        var perSplit = 1 + (options.Ablations ? Ablation.Families.Count : 0);
        var total = datasets.Count * options.Repeats * perSplit;
        var done = 0;
        var results = new List<ExperimentDatasetResult>();
        foreach (var dataset in datasets)
        {
            var labelled = dataset.Records.Where(r => r.Correct is not null).ToList();
            var y = labelled.Select(r => r.Correct == true ? 1 : 0).ToArray();
            var splits = new List<ExperimentSplit>();
            EscalationModel? firstModel = null;
            EvaluationSummary? firstEvaluation = null;
            progress?.Report(new ExperimentProgress(dataset.Name, done, total));
            for (var r = 0; r < options.Repeats; r++)
            {
                var seed = options.Seed + r;
                var split = Split(y, options, seed);
                var train = split.Train.Select(i => labelled[i]).ToList();
                var test = split.Test.Select(i => labelled[i]).ToList();
                var trainerOptions = new EscalationTrainerOptions { Recipe = options.Recipe, Cost = options.Cost, Seed = seed };
                var trainingSet = TrainingSet.From(train, new LppFeatureExtractor(trainerOptions.Features));
                EscalationModel model;
                IReadOnlyList<FamilyAblation> ablations = [];
                try
                {
                    model = new EscalationTrainer(trainerOptions).Fit(trainingSet);
                    progress?.Report(new ExperimentProgress(dataset.Name, ++done, total));
                    if (options.Ablations)
                    {
                        ablations = Lpp.Ablation.Run(trainingSet, test, trainerOptions, model, _ => progress?.Report(new ExperimentProgress(dataset.Name, ++done, total)));
                    }
                }
                catch (TrainingException e)
                {
                    throw new ExperimentException($"{dataset.Name}, split with seed {seed}: {e.Message}", e);
                }

                var set = Evaluator.Score(model, test);
                if (r == 0)
                {
                    firstModel = model;
                    firstEvaluation = EvaluationSummary.From(set, options.Bootstrap, seed);
                }

                splits.Add(new ExperimentSplit(seed, train.Count, test.Count, test.Count(t => t.Correct == false), set.Measure(), ablations, CostRatioSensitivity.Measure(set, options.CostRatios)));
            }

            results.Add(new ExperimentDatasetResult(dataset.Name, Common(dataset.Records, "model"), Common(dataset.Records, "task"), labelled.Count, y.Count(v => v == 0), dataset.Records.Count - labelled.Count, splits, firstModel!, firstEvaluation!));
        }

        return new ExperimentResult(options, results);
    }

    /// <summary>One dataset per value of <c>source.model</c> (in order of first appearance); records without it form one dataset "all".</summary>
    public static IReadOnlyList<ExperimentDataset> ByModel(IReadOnlyList<DecisionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.GroupBy(r => r.Source.GetValueOrDefault("model") ?? "all", StringComparer.Ordinal).Select(g => new ExperimentDataset(g.Key, [.. g]))];
    }

    /// <summary>
    /// A test set with exactly <paramref name="testErrors"/> errors (label 0) and correct answers (label 1) in the
    /// data's natural ratio, rounded, each class's rows drawn at random with <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The data hold <paramref name="testErrors"/> errors or fewer.</exception>
    public static IndexSplit FixedErrors(ReadOnlySpan<int> y, int testErrors, int seed)
    {
        var errors = new List<int>();
        var right = new List<int>();
        for (var i = 0; i < y.Length; i++)
        {
            (y[i] == 0 ? errors : right).Add(i);
        }

        if (testErrors < 1 || testErrors >= errors.Count)
        {
            throw new ArgumentException($"{testErrors} test errors cannot be drawn from {errors.Count} errors and leave some for training", nameof(testErrors));
        }

        var testRight = Math.Clamp((int)Math.Round((double)testErrors * right.Count / errors.Count, MidpointRounding.AwayFromZero), 1, right.Count - 1);
        var random = new Random(seed);
        StratifiedSplit.Shuffle(errors, random);
        StratifiedSplit.Shuffle(right, random);
        var isTest = new bool[y.Length];
        foreach (var i in errors.Take(testErrors).Concat(right.Take(testRight)))
        {
            isTest[i] = true;
        }

        var train = ImmutableArray.CreateBuilder<int>();
        var test = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < y.Length; i++)
        {
            (isTest[i] ? test : train).Add(i);
        }

        return new IndexSplit(train.ToImmutable(), test.ToImmutable());
    }

    private static IndexSplit Split(int[] y, ExperimentOptions options, int seed) =>
        options.TestErrors is { } n ? FixedErrors(y, n, seed) : StratifiedSplit.TrainTest(y, options.TestFraction, seed);

    private static void Check(ExperimentDataset dataset, ExperimentOptions options)
    {
        var labelled = dataset.Records.Count(r => r.Correct is not null);
        var errors = dataset.Records.Count(r => r.Correct == false);
        if (labelled == 0)
        {
            throw new ExperimentException(dataset.Records.Count == 0 ? $"{dataset.Name}: no records" : $"{dataset.Name}: none of the {dataset.Records.Count} records has a truth label");
        }

        if (errors == 0 || errors == labelled)
        {
            throw new ExperimentException($"{dataset.Name}: all {labelled} labelled answers are {(errors == 0 ? "correct" : "incorrect")}: the experiment needs both");
        }

        if (options.TestErrors is { } n && n >= errors)
        {
            throw new ExperimentException($"--test-errors {n}: {dataset.Name} holds only {errors} LLM errors, and training needs some of them");
        }

        var testCount = options.TestErrors is null ? (int)Math.Ceiling(options.TestFraction * labelled) : 1;
        if (testCount < 1 || testCount >= labelled)
        {
            throw new ExperimentException($"{dataset.Name}: a test fraction of {options.TestFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} of {labelled} labelled records leaves an empty part");
        }
    }

    private static string Common(IReadOnlyList<DecisionRecord> records, string key)
    {
        var values = records.Select(r => r.Source.GetValueOrDefault(key)).Distinct().ToList();
        return values is [{ } only] ? only : "-";
    }
}

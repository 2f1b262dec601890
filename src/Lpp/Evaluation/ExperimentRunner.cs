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

        var perSplit = 1 + options.CompareRecipes.Count + (options.Ablations ? Ablation.Families.Count : 0) + options.MaxTrustedErrors.Count;
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
            FeatureAnalysis? firstAnalysis = null;
            progress?.Report(new ExperimentProgress(dataset.Name, done, total));
            for (var r = 0; r < options.Repeats; r++)
            {
                var seed = options.Seed + r;
                var split = Split(y, options, seed);
                var train = split.Train.Select(i => labelled[i]).ToList();
                var test = split.Test.Select(i => labelled[i]).ToList();
                var outcome = RunSplit(train, test, options, seed, () => progress?.Report(new ExperimentProgress(dataset.Name, ++done, total)));
                done += perSplit - outcome.Trainings;
                progress?.Report(new ExperimentProgress(dataset.Name, done, total));
                if (r == 0 && outcome.Set is { } set)
                {
                    firstModel = set.Model;
                    firstEvaluation = EvaluationSummary.From(set, options.Bootstrap, seed);
                    firstAnalysis = FeatureAnalysis.Of(TrainingSet.From(train, set.Model.CreateExtractor()), set.Model.FeatureNames);
                }

                splits.Add(outcome.Split);
            }

            results.Add(new ExperimentDatasetResult(dataset.Name, Common(dataset.Records, "model"), Common(dataset.Records, "task"), labelled.Count, y.Count(v => v == 0), dataset.Records.Count - labelled.Count, splits, firstModel, firstEvaluation) { FirstAnalysis = firstAnalysis });
        }

        return new ExperimentResult(options, results);
    }

    /// <summary>
    /// One split: train the experiment's recipe (and each comparison recipe) on <paramref name="train"/>, measure every
    /// method that can run on <paramref name="test"/>, and name the reason of every method that cannot. When the
    /// recipe cannot train (too few errors), the single signals still run, their thresholds chosen on the training part.
    /// </summary>
    internal static (ExperimentSplit Split, EvaluationSet? Set, int Trainings) RunSplit(IReadOnlyList<DecisionRecord> train, IReadOnlyList<DecisionRecord> test, ExperimentOptions options, int seed, Action trained)
    {
        var trainerOptions = new EscalationTrainerOptions { Recipe = options.Recipe, Cost = options.Cost, Seed = seed };
        var extractor = new LppFeatureExtractor(trainerOptions.Features);
        var trainingSet = TrainingSet.From(train, extractor);
        var methods = new Dictionary<Method, MethodMetrics>();
        var skipped = new Dictionary<Method, string>();
        IReadOnlyList<FamilyAblation> ablations = [];
        IReadOnlyList<CostRatioPoint> costRatios = [];
        EvaluationSet? set = null;
        var trainings = 0;
        var missing = Method.Signals.Where(s => !HasSignal(trainingSet, s)).ToHashSet();
        foreach (var signal in missing)
        {
            skipped[signal] = MissingSignalReason(signal);
        }

        try
        {
            var model = new EscalationTrainer(trainerOptions).Fit(trainingSet);
            trainings++;
            trained();
            set = Evaluator.Score(model, test);
            foreach (var (method, metrics) in set.Measure().Where(m => !missing.Contains(m.Key)))
            {
                methods[method] = metrics;
            }

            costRatios = CostRatioSensitivity.Measure(set, options.CostRatios);
            if (options.Ablations)
            {
                ablations = Lpp.Ablation.Run(trainingSet, test, trainerOptions, model, _ =>
                {
                    trainings++;
                    trained();
                });
            }
        }
        catch (TrainingException e)
        {
            skipped[Method.MetaModel] = e.Message;
            var all = Enumerable.Range(0, trainingSet.Count).ToArray();
            var correct = trainingSet.Correct.Select(c => c == 1).ToArray();
            var baselines = BaselineThreshold.Signals.Where(b => !missing.Contains(b.Method)).Select(b =>
                b with { Tau = ThresholdSearch.Exact(all.Select(i => b.Score(trainingSet.Features.Row(i))).ToArray(), correct, options.Cost) }).ToList();
            var rows = Evaluator.ScoreRows(extractor, baselines, test, router: null);
            methods[Method.AlwaysTrust] = Evaluator.Measure(rows, Method.AlwaysTrust, options.Cost, null);
            foreach (var b in baselines)
            {
                methods[b.Method] = Evaluator.Measure(rows, b.Method, options.Cost, b.Tau);
            }
        }

        foreach (var recipe in options.CompareRecipes)
        {
            var method = Method.Trained(recipe);
            try
            {
                var other = new EscalationTrainer(trainerOptions with { Recipe = recipe }).Fit(trainingSet);
                methods[method] = Evaluator.Score(other, test).Measure()[Method.MetaModel];
            }
            catch (TrainingException e)
            {
                skipped[method] = e.Message;
            }

            trainings++;
            trained();
        }

        var guarantees = new List<GuaranteeOutcome>();
        foreach (var maxError in options.MaxTrustedErrors)
        {
            try
            {
                var guaranteed = new EscalationTrainer(trainerOptions with { MaxTrustedError = maxError, Confidence = options.Confidence }).Fit(trainingSet);
                guarantees.Add(new GuaranteeOutcome(maxError, guaranteed.Guarantee!.Feasible, Evaluator.Score(guaranteed, test).Measure()[Method.MetaModel]));
            }
            catch (TrainingException)
            {
                // Too few errors in the training or calibration part: that level has no outcome on this split.
            }

            trainings++;
            trained();
        }

        var split = new ExperimentSplit(seed, train.Count, test.Count, test.Count(t => t.Correct == false), methods, ablations, costRatios) { Skipped = skipped, Guarantees = guarantees };
        return (split, set, trainings);
    }

    private static bool HasSignal(TrainingSet data, Method signal)
    {
        var column = FeatureSchema.IndexOf(BaselineThreshold.Signals.First(b => b.Method == signal).Feature);
        for (var r = 0; r < data.Count; r++)
        {
            if (!double.IsNaN(data.Features[r, column]))
            {
                return true;
            }
        }

        return false;
    }

    private static string MissingSignalReason(Method signal) => signal == Method.Verbalized
        ? "no training record has a verbalized confidence"
        : "no training record has log-probabilities at the answer token";

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

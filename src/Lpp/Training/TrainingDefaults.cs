namespace Lpp;

/// <summary>The one place where training defaults are defined.</summary>
internal static class TrainingDefaults
{
    public const Recipe Recipe = Lpp.Recipe.Default;
    public const int Seed = 42;
    public const int Folds = 3;

    /// <summary>Calibration folds inside each model (CalibratedClassifierCV(cv=3)).</summary>
    public const int CalibrationFolds = 3;

    /// <summary>Fewest LLM errors a training set must hold.</summary>
    public const int MinimumErrors = 5;

    /// <summary>Confidence of the trusted-error guarantee's Clopper-Pearson bound.</summary>
    public const double Confidence = 0.9;

    /// <summary>Share of labelled records held out to calibrate the trusted-error guarantee.</summary>
    public const double CalibrationFraction = 0.3;

    /// <summary>The paper: validation split held out for τ.</summary>
    public const double PaperValidationFraction = 0.2;

    /// <summary>The paper: τ sweep range and steps.</summary>
    public const double PaperTauLow = 0.35;
    public const double PaperTauHigh = 0.70;
    public const int PaperTauSteps = 100;

    /// <summary>The paper (imblearn RandomUnderSampler(sampling_strategy=0.5)): undersample until minority/majority = 0.5.</summary>
    public const double PaperUndersampleRatio = 0.5;

    public static readonly double[] PaperAlphas = [0.1, 1, 10, 100];
    public static readonly string[] PaperSolvers = ["auto", "lsqr"];
    public static readonly double[] PaperTolerances = [1e-6, 1e-5, 1e-4, 1e-3];
    public static readonly int[] PaperMaxIterations = [1000, 2000, 3000];
    public static readonly double[] PaperWeightMultipliers = [0.5, 0.8, 1.0, 1.2, 1.5];

    /// <summary>Ours: regularisation strengths tried.</summary>
    public static readonly double[] DefaultAlphas = [0.1, 1, 10, 100, 1000];

    /// <summary>Ours: inverse regularisation strengths C of the logistic regression tried.</summary>
    public static readonly double[] DefaultLogisticC = [0.01, 0.1, 1, 10];

    /// <summary>Ours: paired bootstrap draws comparing the cheapest learned candidate with the cheaper of always trust and escalate everything.</summary>
    public const int BootstrapDraws = 1000;

    /// <summary>Ours: the bootstrap probability of costing less a learned candidate needs to replace the cheaper of always trust and escalate everything.</summary>
    public const double RequiredProbabilityCheaper = 0.9;
}

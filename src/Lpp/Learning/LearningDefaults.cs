namespace Lpp;

/// <summary>The one place where the learners' defaults are defined.</summary>
internal static class LearningDefaults
{
    /// <summary>Ridge penalty; scikit-learn <c>RidgeClassifier</c>'s default.</summary>
    public const double Alpha = 1.0;

    /// <summary>Calibration folds; the paper's <c>CalibratedClassifierCV(cv=3)</c>.</summary>
    public const int CalibrationFolds = 3;

    /// <summary>Calibration method; scikit-learn <c>CalibratedClassifierCV</c>'s default (sigmoid, i.e. Platt).</summary>
    public const CalibrationMethod Method = CalibrationMethod.Sigmoid;

    /// <summary>Seed of the calibration folds; the paper's <c>random_state=42</c>.</summary>
    public const int Seed = 42;

    /// <summary>Inverse L2 strength C of the logistic regression; scikit-learn <c>LogisticRegression</c>'s default.</summary>
    public const double InverseRegularisation = 1.0;

    /// <summary>Class weights: none (every sample weighs 1), scikit-learn's default.</summary>
    public static ClassWeight ClassWeight => ClassWeight.None;
}

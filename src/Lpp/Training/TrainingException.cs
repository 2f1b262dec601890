namespace Lpp;

/// <summary>Training data that cannot make a model (no truth, too few errors, one class); the message says why in one line.</summary>
public sealed class TrainingException : Exception
{
    /// <summary>Creates the exception with a one-line reason.</summary>
    public TrainingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line reason and its cause.</summary>
    public TrainingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public TrainingException()
        : base("the training data cannot make a model")
    {
    }
}

namespace Lpp;

/// <summary>An experiment that cannot run on the data given (too few errors for the test split, training refused); the message says why in one line.</summary>
public sealed class ExperimentException : Exception
{
    /// <summary>Creates the exception with a one-line reason.</summary>
    public ExperimentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line reason and its cause.</summary>
    public ExperimentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ExperimentException()
        : base("the experiment cannot run on this data")
    {
    }
}

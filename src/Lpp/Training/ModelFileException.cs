namespace Lpp;

/// <summary>A model file that cannot be used; the message says why in one line.</summary>
public sealed class ModelFileException : Exception
{
    /// <summary>Creates the exception with a one-line reason.</summary>
    public ModelFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line reason and its cause.</summary>
    public ModelFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ModelFileException()
        : base("the model file cannot be used")
    {
    }
}

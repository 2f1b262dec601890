namespace Lpp;

/// <summary>A decision record that breaks the format; the message names the field and what is wrong with it.</summary>
public sealed class RecordFormatException : FormatException
{
    /// <summary>Creates the exception with a one-line reason.</summary>
    public RecordFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line reason and its cause.</summary>
    public RecordFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public RecordFormatException()
        : base("invalid decision record")
    {
    }
}

namespace Lpp.Serving;

/// <summary>
/// The service cannot start or run as asked (an unusable option, model file, keys file or store): the message is one
/// line naming what is wrong and where, fit to print as is.
/// </summary>
public sealed class ServeException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public ServeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the failure behind it.</summary>
    public ServeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

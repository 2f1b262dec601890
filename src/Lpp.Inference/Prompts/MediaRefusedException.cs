namespace Lpp.Inference;

/// <summary>An item's media reference was refused (outside the media root, not a regular file, too large, not an image). The message is printable.</summary>
public sealed class MediaRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MediaRefusedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public MediaRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MediaRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

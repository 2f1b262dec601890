namespace Lpp.Inference;

/// <summary>A provider call failed. The message is safe to print: it never holds credentials.</summary>
public sealed class ProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProviderException(ProviderErrorKind kind, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates a transient exception.</summary>
    public ProviderException()
        : this(ProviderErrorKind.Transient, "provider error")
    {
    }

    /// <summary>Creates a transient exception.</summary>
    public ProviderException(string message)
        : this(ProviderErrorKind.Transient, message)
    {
    }

    /// <summary>Creates a transient exception.</summary>
    public ProviderException(string message, Exception inner)
        : this(ProviderErrorKind.Transient, message, null, null, inner)
    {
    }

    /// <summary>How the runner treats the error.</summary>
    public ProviderErrorKind Kind { get; }

    /// <summary>The HTTP status, or null.</summary>
    public int? StatusCode { get; }

    /// <summary>The delay the provider asked for (Retry-After), or null.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when asking again cannot help now (a batch's recorded failure): not retried within this run.</summary>
    public bool Final { get; init; }
}

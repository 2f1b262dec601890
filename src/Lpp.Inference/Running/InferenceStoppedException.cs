namespace Lpp.Inference;

/// <summary>The run cannot go on (for example the model refuses logprobs and they are required). The message is printable.</summary>
public sealed class InferenceStoppedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InferenceStoppedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public InferenceStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InferenceStoppedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

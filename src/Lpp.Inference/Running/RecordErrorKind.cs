namespace Lpp.Inference;

/// <summary>Why a record has no valid answer, written as <c>error_kind</c> beside the <c>error</c> message.</summary>
public enum RecordErrorKind
{
    /// <summary>
    /// <c>transport</c>: the provider could not be reached or its answer not read after every retry (name not
    /// resolved, connection refused, timeouts, 429/5xx, broken bodies). Not an LLM answer, and not finished: a rerun
    /// calls again.
    /// </summary>
    Transport,

    /// <summary><c>refused</c>: the provider refused the request (a 4xx other than 429, or a refused batch). Not an LLM answer.</summary>
    Refused,

    /// <summary><c>media</c>: the item's media was refused locally (see <see cref="MediaOptions"/>); nothing was sent. Not an LLM answer.</summary>
    Media,

    /// <summary><c>invalid</c>: the LLM answered, but its answer broke the output contract after every retry. The LLM's answer.</summary>
    Invalid,
}

namespace Lpp.Inference;

/// <summary>Why a record has no valid answer: its kind and a printable message (never holding credentials).</summary>
/// <param name="Kind">The kind, written as <c>error_kind</c>.</param>
/// <param name="Message">The message, written as <c>error</c>.</param>
public sealed record RecordError(RecordErrorKind Kind, string Message)
{
    /// <summary>The names written as <c>error_kind</c>, indexed by kind.</summary>
    private static readonly string[] Names = ["transport", "refused", "media", "invalid"];

    /// <summary>The name written as <c>error_kind</c>: transport, refused, media or invalid.</summary>
    public string KindName => Names[(int)Kind];

    /// <summary>True when the record holds no answer of the LLM's (every kind but invalid).</summary>
    public bool NoAnswer => Kind != RecordErrorKind.Invalid;

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public static RecordErrorKind? ParseKind(string? name)
    {
        var index = Array.IndexOf(Names, name);
        return index < 0 ? null : (RecordErrorKind)index;
    }
}

namespace Lpp.Inference;

/// <summary>The speaker of a <see cref="ChatTurn"/>.</summary>
public enum ChatRole
{
    /// <summary>The user.</summary>
    User,

    /// <summary>The model.</summary>
    Assistant,
}

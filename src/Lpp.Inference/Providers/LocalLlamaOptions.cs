namespace Lpp.Inference;

/// <summary>Settings of the in-process GGUF provider.</summary>
public sealed record LocalLlamaOptions
{
    /// <summary>Path of the GGUF model file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Context window in tokens (prompt plus answer).</summary>
    /// <value>4096.</value>
    public uint ContextSize { get; init; } = 4096;

    /// <summary>Longest reasoning step description the grammar allows, in characters.</summary>
    /// <value>300.</value>
    public int MaxStepCharacters { get; init; } = 300;
}

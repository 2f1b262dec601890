namespace Lpp.Inference;

/// <summary>The four prompt templates: text-only or multimodal, each with a direct answer or chain of thought.</summary>
public enum PromptVariant
{
    /// <summary>Text only, direct answer (file name <c>text-direct.txt</c>).</summary>
    TextDirect,

    /// <summary>Text only, three reasoning steps (<c>text-cot.txt</c>).</summary>
    TextCot,

    /// <summary>Text and media, direct answer (<c>multimodal-direct.txt</c>).</summary>
    MultimodalDirect,

    /// <summary>Text and media, three reasoning steps (<c>multimodal-cot.txt</c>).</summary>
    MultimodalCot,
}

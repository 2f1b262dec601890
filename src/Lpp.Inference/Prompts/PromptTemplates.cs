namespace Lpp.Inference;

/// <summary>The four prompt templates in use: the built-in ones, any of which a templates folder can replace.</summary>
public sealed class PromptTemplates
{
    internal const string CorrectionFormat =
        "Your answer was invalid: {0}. Answer again with only the JSON object that follows the output contract.";

    private const string Contract = """
        Answer with only a JSON object with these fields, in this order:
        - "outcome": an integer: 0 = no, the content does not fall under the policy; 1 = yes, it does;
          2 = inconclusive_evidence, the content does not show enough to decide; 3 = inconclusive_definition, the policy
          definition does not cover this case.
        - "p_correct": an integer from 0 to 100, a multiple of 5: the probability, in percent, that your outcome is correct.
        - "band": your confidence as one of "VL" (very low), "L" (low), "M" (medium), "H" (high), "VH" (very high).
        """;

    private const string CotContract = Contract + """

        - "reasoning_steps": exactly three objects {"step_number": 1, 2 or 3, "description": "..."}: the three steps of
          your reasoning, written after you commit to the outcome.
        """;

    private const string TextSystem = """
        You are a content moderation classifier. Decide whether the content you are given falls under the policy
        "{concept_name}" ({concept_key}).

        Policy definition:
        {definition}

        """;

    private const string MultimodalSystem = TextSystem + """
        The content can have several modalities: text, a transcript of the audio, images (a thumbnail, video frames)
        and a video. You received: {modalities}. Review each modality you received before you decide; any one of them
        can make the content fall under the policy.

        """;

    private const string TextUser = """
        Content to classify (language: {language}):
        <content>
        {content}
        </content>
        """;

    private const string MultimodalUser = """
        Content to classify (language: {language}; modalities: {modalities}). The text parts are below; the images
        follow this message in order.
        <content>
        {content}
        </content>
        """;

    private readonly Dictionary<PromptVariant, PromptTemplate> _templates;

    private PromptTemplates(Dictionary<PromptVariant, PromptTemplate> templates) => _templates = templates;

    /// <summary>The built-in templates.</summary>
    public static PromptTemplates Default { get; } = new(new()
    {
        [PromptVariant.TextDirect] = new(TextSystem + Contract, TextUser),
        [PromptVariant.TextCot] = new(TextSystem + CotContract, TextUser),
        [PromptVariant.MultimodalDirect] = new(MultimodalSystem + Contract, MultimodalUser),
        [PromptVariant.MultimodalCot] = new(MultimodalSystem + CotContract, MultimodalUser),
    });

    /// <summary>The template of <paramref name="variant"/>.</summary>
    public PromptTemplate this[PromptVariant variant] => _templates[variant];

    /// <summary>The file name of a variant's template in a templates folder (for example <c>text-cot.txt</c>).</summary>
    public static string FileName(PromptVariant variant) => variant switch
    {
        PromptVariant.TextDirect => "text-direct.txt",
        PromptVariant.TextCot => "text-cot.txt",
        PromptVariant.MultimodalDirect => "multimodal-direct.txt",
        _ => "multimodal-cot.txt",
    };

    /// <summary>
    /// The built-in templates with those found in <paramref name="folder"/> replacing them (files named by
    /// <see cref="FileName"/>; absent files keep the built-in template).
    /// </summary>
    /// <exception cref="FormatException">A template file is malformed; the message names the file.</exception>
    public static PromptTemplates Load(string folder)
    {
        var templates = new Dictionary<PromptVariant, PromptTemplate>(Default._templates);
        foreach (var variant in Enum.GetValues<PromptVariant>())
        {
            var path = Path.Combine(folder, FileName(variant));
            if (File.Exists(path))
            {
                try
                {
                    templates[variant] = PromptTemplate.Parse(File.ReadAllText(path));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{path}: {e.Message}", e);
                }
            }
        }

        return new PromptTemplates(templates);
    }
}

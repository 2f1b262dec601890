namespace Lpp.Inference;

/// <summary>One prediction to make: an item under a concept.</summary>
/// <param name="Item">The content.</param>
/// <param name="Concept">The policy concept.</param>
public sealed record InferenceTask(InferenceItem Item, Concept Concept)
{
    /// <summary>The record id, <c>&lt;item id&gt;/&lt;concept key&gt;</c>.</summary>
    public string RecordId => Item.Id + "/" + Concept.Key;

    /// <summary>
    /// The tasks of an item stream: every item under every concept, or, when <paramref name="knownOnly"/>, only under
    /// the concepts the item has a label for (the moderation dataset: one prediction per known category).
    /// </summary>
    public static IEnumerable<InferenceTask> For(IEnumerable<InferenceItem> items, IReadOnlyList<Concept> concepts, bool knownOnly)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(concepts);
        foreach (var item in items)
        {
            foreach (var concept in concepts)
            {
                if (!knownOnly || item.Labels.ContainsKey(concept.Key))
                {
                    yield return new InferenceTask(item, concept);
                }
            }
        }
    }
}

namespace Lpp;

/// <summary>What one line of input became: a record, or a rejection with its reason. Exactly one is set.</summary>
public readonly record struct RecordReadResult(DecisionRecord? Record, RecordRejection? Rejection, long Line);

namespace Lpp.Inference;

/// <summary>Where a run writes its records: append-only, and able to say which records are already there.</summary>
public interface IRecordSink
{
    /// <summary>True when a record with this id was written (by this run or an earlier one).</summary>
    bool Contains(string recordId);

    /// <summary>Appends one record with why it has no valid answer (or null) and the raw provider response (JSON, or null). Thread-safe.</summary>
    void Write(DecisionRecord record, RecordError? error, string? response);
}

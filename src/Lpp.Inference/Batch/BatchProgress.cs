namespace Lpp.Inference;

/// <summary>What the batch part of a run did, for progress and the summary. Updated by one thread, read by others.</summary>
public sealed class BatchProgress
{
    private long _batches;
    private long _requests;
    private long _running;
    private long _done;
    private long _failedBatches;
    private long _answers;
    private long _errors;
    private long _malformed;
    private long _unknown;
    private long _duplicates;
    private long _resubmitted;
    private long _promptTokens;
    private long _outputTokens;
    private long _deletedFiles;

    /// <summary>Batches submitted by this run.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Requests submitted by this run.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Batches not finished at the last poll.</summary>
    public long Running => Interlocked.Read(ref _running);

    /// <summary>Batches finished and collected (completed, expired or cancelled).</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>Batches the provider refused as a whole.</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>Answers stored from batch results.</summary>
    public long Answers => Interlocked.Read(ref _answers);

    /// <summary>Requests that came back with an error (or not at all, from a failed batch).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Result lines that could not be read (not JSON, no key).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Result lines whose key was not submitted in that batch (ignored).</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Result lines repeating a key already answered (ignored: nothing is written twice).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Requests submitted again because their batch expired or was cancelled before they ran.</summary>
    public long Resubmitted => Interlocked.Read(ref _resubmitted);

    /// <summary>Prompt tokens of the batch answers.</summary>
    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    /// <summary>Output tokens of the batch answers.</summary>
    public long OutputTokens => Interlocked.Read(ref _outputTokens);

    /// <summary>Files deleted at the provider (uploaded requests, downloaded results) once no longer needed.</summary>
    public long DeletedFiles => Interlocked.Read(ref _deletedFiles);

    internal void AddDeletedFile() => Interlocked.Increment(ref _deletedFiles);

    internal void AddBatch(int requests)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _requests, requests);
    }

    internal void SetRunning(long running) => Interlocked.Exchange(ref _running, running);

    internal void AddDone(bool failed) => Interlocked.Increment(ref failed ? ref _failedBatches : ref _done);

    internal void AddAnswer(long? prompt, long? output)
    {
        Interlocked.Increment(ref _answers);
        Interlocked.Add(ref _promptTokens, prompt ?? 0);
        Interlocked.Add(ref _outputTokens, output ?? 0);
    }

    internal void AddErrors(long n) => Interlocked.Add(ref _errors, n);

    internal void AddMalformed() => Interlocked.Increment(ref _malformed);

    internal void AddUnknown() => Interlocked.Increment(ref _unknown);

    internal void AddDuplicate() => Interlocked.Increment(ref _duplicates);

    internal void AddResubmitted(long n) => Interlocked.Add(ref _resubmitted, n);
}

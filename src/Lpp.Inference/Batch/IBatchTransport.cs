namespace Lpp.Inference;

/// <summary>
/// A provider's batch interface: the same request bodies as the synchronous calls, written one a line into a file,
/// submitted, polled and read back by key. Implemented over the documented HTTP formats (see
/// <c>PROVIDERS.md</c>, "Batch interfaces").
/// </summary>
public interface IBatchTransport
{
    /// <summary>The most requests one batch may hold.</summary>
    int MaxRequests { get; }

    /// <summary>The most bytes one batch file may hold (kept under the provider's limit).</summary>
    long MaxBytes { get; }

    /// <summary>Writes one request (its key and the synchronous request body) to a batch file; returns the bytes written.</summary>
    int WriteRequest(Stream file, string key, string requestBody, bool first);

    /// <summary>
    /// Submits a batch file of <paramref name="requests"/> requests under the client-side <paramref name="name"/>
    /// (OpenAI: <c>metadata.lpp_batch</c>; Gemini: <c>display_name</c>); returns the provider's batch id.
    /// </summary>
    /// <exception cref="ProviderException">The provider refused the upload or the batch.</exception>
    Task<string> SubmitAsync(string file, int requests, string name, CancellationToken cancellationToken);

    /// <summary>
    /// The id of the batch created under the client-side <paramref name="name"/>, or null when the provider lists none
    /// (looked for among the batches created since <paramref name="since"/>, less an hour of clock skew).
    /// </summary>
    /// <exception cref="ProviderException">The provider could not be asked.</exception>
    Task<string?> FindAsync(string name, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Asks where a batch stands.</summary>
    /// <exception cref="ProviderException">The provider could not be asked.</exception>
    Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The results of a finished batch: answers and per-request errors, streamed, in no particular order.</summary>
    IAsyncEnumerable<BatchResult> ResultsAsync(BatchState state, CancellationToken cancellationToken);
}

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
    /// Uploads a batch file of <paramref name="requests"/> requests when the provider reads them from a file (OpenAI;
    /// Gemini above its inline limit) and returns the provider's id of that file; null when the requests go inline
    /// with the creation (Gemini under the limit), where nothing is sent yet.
    /// </summary>
    /// <exception cref="ProviderException">The provider refused the upload, or the batch cannot be sent at all.</exception>
    Task<string?> UploadAsync(string file, int requests, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the batch under the client-side <paramref name="name"/> (OpenAI: <c>metadata.lpp_batch</c>; Gemini:
    /// <c>display_name</c>) on the uploaded <paramref name="inputFile"/>, or, when it is null, with the requests of the
    /// local <paramref name="file"/> inline; returns the provider's batch id.
    /// </summary>
    /// <exception cref="ProviderException">The provider refused the batch, or its answer was lost or unreadable.</exception>
    Task<string> CreateAsync(string file, string? inputFile, int requests, string name, CancellationToken cancellationToken);

    /// <summary>
    /// The id of the batch created under the client-side <paramref name="name"/> (or, where the provider lists it, on
    /// the uploaded <paramref name="inputFile"/>), or null when the provider lists none (looked for among the batches
    /// created since <paramref name="since"/>, less an hour of clock skew).
    /// </summary>
    /// <exception cref="ProviderException">The provider could not be asked.</exception>
    Task<string?> FindAsync(string name, string? inputFile, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Asks where a batch stands.</summary>
    /// <exception cref="ProviderException">The provider could not be asked.</exception>
    Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The results of a finished batch: answers and per-request errors, streamed, in no particular order.</summary>
    IAsyncEnumerable<BatchResult> ResultsAsync(BatchState state, CancellationToken cancellationToken);

    /// <summary>
    /// True when the provider documents a call that deletes its files (OpenAI: <c>DELETE {base}/files/{id}</c>), so
    /// the uploaded requests and the downloaded results are deleted once stored; false where it documents none (Gemini).
    /// </summary>
    bool DeletesFiles { get; }

    /// <summary>Deletes a file at the provider; false when the provider no longer has it (already deleted, expired).</summary>
    /// <exception cref="ProviderException">The deletion failed.</exception>
    /// <exception cref="NotSupportedException">The provider documents no deletion (<see cref="DeletesFiles"/> is false).</exception>
    Task<bool> DeleteFileAsync(string fileId, CancellationToken cancellationToken);
}

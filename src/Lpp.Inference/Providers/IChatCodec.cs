namespace Lpp.Inference;

/// <summary>
/// A provider's wire format, shared by both transports: the body of a request (what a synchronous call sends and what
/// a batch line carries; its hash keys the response cache) and the reading of an answer body (a synchronous answer or
/// a batch result's body, which are the same shape).
/// </summary>
public interface IChatCodec
{
    /// <summary>The request body (JSON, without credentials).</summary>
    string Encode(ChatRequest request);

    /// <summary>Reads an answer body.</summary>
    /// <exception cref="ProviderException">The body is not a valid answer.</exception>
    ProviderResponse Decode(string body);
}

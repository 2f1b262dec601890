namespace Lpp.Serving;

/// <summary>A loaded, verified model with its router and the checksum every decision it makes records.</summary>
/// <param name="Router">Routes records with the model (thread-safe).</param>
/// <param name="Checksum">The model file's checksum, <c>sha256:...</c>.</param>
/// <param name="LoadedAt">When it went into service.</param>
/// <param name="FileBytes">The model file as verified; the audit store keeps it once, so decisions can be rebuilt.</param>
internal sealed record ServedModel(Router Router, string Checksum, DateTimeOffset LoadedAt, byte[] FileBytes)
{
    /// <summary>The model.</summary>
    public EscalationModel Model => Router.Model;

    /// <summary>The model's feature extractor (thread-safe), for requests that need the features beside the decision.</summary>
    public LppFeatureExtractor Extractor { get; } = Router.Model.CreateExtractor();

    /// <summary>The checksum, encoded for JSON once (every decision writes it).</summary>
    public System.Text.Json.JsonEncodedText ChecksumJson { get; } = System.Text.Json.JsonEncodedText.Encode(Checksum);

    /// <summary>Verifies model file bytes and builds a router for them.</summary>
    /// <exception cref="ModelFileException">The bytes are not a valid model file.</exception>
    public static ServedModel From(ReadOnlySpan<byte> fileBytes, DateTimeOffset now)
    {
        var model = EscalationModelFile.Parse(fileBytes, out var checksum);
        return new ServedModel(new Router(model), checksum, now, fileBytes.ToArray());
    }
}

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

    /// <summary>Whether the severity costs in force are <c>lpp serve --costs</c>'s rather than the model file's own.</summary>
    public bool CostsFromServe { get; private init; }

    /// <summary>
    /// Reads and verifies the model file an option names (<c>--model</c>, <c>--shadow-model</c>), as <see cref="From"/>
    /// does, refusing it in one line that names the option and the file.
    /// </summary>
    /// <exception cref="ServeException">The file cannot be read or is not a valid model file.</exception>
    public static ServedModel Load(string option, string path, DateTimeOffset now, byte[]? costs)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServeException($"{option} {path}: cannot read ({e.Message})");
        }

        try
        {
            return From(bytes, now, costs);
        }
        catch (ModelFileException e)
        {
            throw new ServeException($"{option} {path}: {e.Message}");
        }
    }

    /// <summary>
    /// Verifies model file bytes and builds a router for them. With <paramref name="costs"/> (the JSON of
    /// <c>lpp serve --costs</c>, already checked at start) the model served is the file with its severity costs replaced
    /// by them, in the model's cost form: a model file of its own, with its own checksum, which decisions name and the
    /// audit store keeps, so every stored decision can be rebuilt from the file that decided it.
    /// </summary>
    /// <exception cref="ModelFileException">The bytes are not a valid model file, or the costs cannot be read.</exception>
    public static ServedModel From(ReadOnlySpan<byte> fileBytes, DateTimeOffset now, byte[]? costs = null)
    {
        var model = EscalationModelFile.Parse(fileBytes, out var checksum);
        if (costs is null)
        {
            return new ServedModel(new Router(model), checksum, now, fileBytes.ToArray());
        }

        SeverityCosts severity;
        try
        {
            severity = SeverityCosts.Parse(costs, model.Cost.Form);
        }
        catch (FormatException e)
        {
            throw new ModelFileException($"--costs: {e.Message}", e);
        }

        var derived = EscalationModelFile.WithSeverityCosts(fileBytes, severity);
        model = EscalationModelFile.Parse(derived, out checksum);
        return new ServedModel(new Router(model), checksum, now, derived) { CostsFromServe = true };
    }
}

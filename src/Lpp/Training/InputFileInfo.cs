namespace Lpp;

/// <summary>A training input as recorded in the model's provenance.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lower-case hex.</param>
public sealed record InputFileInfo(string Path, string Sha256)
{
    /// <summary>Hashes the file at <paramref name="path"/>.</summary>
    public static InputFileInfo Of(string path)
    {
        using var stream = File.OpenRead(path);
        return new InputFileInfo(path, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
    }
}

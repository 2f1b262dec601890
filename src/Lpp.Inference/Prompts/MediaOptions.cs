namespace Lpp.Inference;

/// <summary>
/// Which local media files an item may name. A file path is read only under <see cref="Root"/> (relative paths are
/// taken from it; the path is resolved, symbolic links followed, and the result must still lie under the root); it
/// must be a non-empty regular file of at most <see cref="MaxBytes"/> whose leading bytes are a JPEG, PNG, GIF or WebP
/// image. Anything else is refused and its content never sent.
/// </summary>
public sealed record MediaOptions
{
    /// <summary>The folder local media files are read from, or null: then an item naming a local file is refused.</summary>
    /// <value>null.</value>
    public string? Root { get; init; }

    /// <summary>The largest media file read, in bytes, 1 to 1 GB.</summary>
    /// <value>20,000,000 (20 MB).</value>
    public long MaxBytes { get; init; } = MediaDefaults.MaxBytes;

    /// <summary>Checks every option, naming the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (MaxBytes is < 1 or > 1_000_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "max media bytes must be in [1, 1000000000]");
        }
    }
}

namespace Lpp.Inference;

/// <summary>The media defaults, defined once.</summary>
internal static class MediaDefaults
{
    public const long MaxBytes = 20_000_000;
}

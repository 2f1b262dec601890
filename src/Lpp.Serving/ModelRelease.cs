namespace Lpp.Serving;

/// <summary>A model published to an audit store: what every server on that store serves.</summary>
/// <param name="Version">The release number: each publication gets a larger one, and the largest is in service.</param>
/// <param name="Checksum">The published model file's checksum, <c>sha256:...</c> (its file is in the store).</param>
internal sealed record ModelRelease(long Version, string Checksum);

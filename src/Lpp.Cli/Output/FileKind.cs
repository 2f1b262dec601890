namespace Lpp.Cli;

/// <summary>The kind of file a path points at.</summary>
internal enum FileKind
{
    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A device, pipe or socket: written in place, never replaced.</summary>
    Other,
}

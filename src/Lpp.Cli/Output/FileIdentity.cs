using System.Runtime.InteropServices;

namespace Lpp.Cli;

/// <summary>
/// What a path points at, following symbolic links: a key made of the device and inode (Linux, via <c>statx</c>; elsewhere the resolved full path) and whether it is
/// a regular file, a folder or something else (a device such as <c>/dev/full</c>, a pipe). Two paths name the same
/// file when their identities are equal: hard links and symbolic links included.
/// </summary>
internal readonly record struct FileIdentity(string Key, FileKind Kind)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const ushort TypeMask = 0xF000;
    private const ushort RegularType = 0x8000;
    private const ushort DirectoryType = 0x4000;

    /// <summary>The identity of <paramref name="path"/>, or null when nothing is there (or it cannot be looked at).</summary>
    public static FileIdentity? Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            // struct statx is the same on every Linux architecture: mode at byte 28, inode at 32, device major/minor at 136/140.
            Span<byte> buffer = stackalloc byte[256];
            try
            {
                if (Statx(AtFdCwd, path, 0, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return Portable(path);
            }

            var mode = BitConverter.ToUInt16(buffer[28..]);
            var inode = BitConverter.ToUInt64(buffer[32..]);
            var device = ((ulong)BitConverter.ToUInt32(buffer[136..]) << 32) | BitConverter.ToUInt32(buffer[140..]);
            var kind = (mode & TypeMask) switch
            {
                RegularType => FileKind.Regular,
                DirectoryType => FileKind.Directory,
                _ => FileKind.Other,
            };
            return new FileIdentity($"{device}:{inode}", kind);
        }

        return Portable(path);
    }

    /// <summary>Without statx: the resolved full path stands in for the inode (hard links are not recognised).</summary>
    private static FileIdentity? Portable(string path)
    {
        if (Directory.Exists(path))
        {
            return new FileIdentity(PathKey(path), FileKind.Directory);
        }

        return File.Exists(path) ? new FileIdentity(PathKey(path), FileKind.Regular) : null;
    }

    private static string PathKey(string path)
    {
        var full = Path.GetFullPath(path);
        return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);
}

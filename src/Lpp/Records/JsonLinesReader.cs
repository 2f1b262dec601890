using System.Buffers.Binary;
using System.IO.Compression;

namespace Lpp;

/// <summary>
/// Streams the lines of a JSON Lines file, plain or gzip-compressed (detected by its magic bytes), in constant
/// memory. Accepts LF and CRLF endings and a leading UTF-8 byte-order mark; skips blank lines. A line longer than
/// <see cref="MaxLineBytes"/> is returned with a problem instead of being buffered; a gzip file that ends before
/// its trailer (a truncated download) yields a final line with a problem.
/// </summary>
public sealed class JsonLinesReader : IDisposable
{
    /// <summary>The longest line read as a record: 16 MiB.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private const int PreviewBytes = 200;
    private readonly Stream _stream;
    private readonly FileStream? _gzipFile;
    private readonly uint? _gzipTrailerSize;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _checkedTrailer;
    private long _lineNumber;
    private long _decompressed;

    private JsonLinesReader(Stream stream, FileStream? gzipFile, uint? gzipTrailerSize)
    {
        _stream = stream;
        _gzipFile = gzipFile;
        _gzipTrailerSize = gzipTrailerSize;
    }

    /// <summary>Opens <paramref name="path"/>. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it cannot be read.</summary>
    public static JsonLinesReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            uint? trailer = null;
            if (file.Length >= 18)
            {
                Span<byte> size = stackalloc byte[4];
                file.Position = file.Length - 4;
                file.ReadExactly(size);
                trailer = BinaryPrimitives.ReadUInt32LittleEndian(size);
                file.Position = 0;
            }

            return new JsonLinesReader(new GZipStream(file, CompressionMode.Decompress), file, trailer);
        }

        return new JsonLinesReader(file, null, null);
    }

    /// <summary>Reads the next non-blank line; false at the end of the file.</summary>
    /// <exception cref="IOException">The file cannot be read any more (not raised for a truncated gzip stream).</exception>
    public bool TryRead(out JsonLine line)
    {
        while (true)
        {
            if (!TryReadRaw(out line))
            {
                return false;
            }

            if (line.Problem is not null || !IsBlank(line.Bytes.Span))
            {
                return true;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _gzipFile?.Dispose();
    }

    private bool TryReadRaw(out JsonLine line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(newline, newline + 1, problem: null);
                return true;
            }

            if (_end - _start >= MaxLineBytes)
            {
                line = SkipLongLine();
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    var truncated = TrailerProblem();
                    line = Take(_end - _start, _end - _start, truncated);
                    return true;
                }

                var problem = TrailerProblem();
                if (problem is not null)
                {
                    line = new JsonLine(++_lineNumber, ReadOnlyMemory<byte>.Empty, problem);
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    private JsonLine Take(int length, int consumed, string? problem)
    {
        var start = _start;
        _lineNumber++;
        if (_lineNumber == 1 && length >= 3 && _buffer[start] == 0xEF && _buffer[start + 1] == 0xBB && _buffer[start + 2] == 0xBF)
        {
            start += 3;
            length -= 3;
        }

        if (length > 0 && _buffer[start + length - 1] == '\r')
        {
            length--;
        }

        _start += consumed;
        return new JsonLine(_lineNumber, _buffer.AsMemory(start, length), problem);
    }

    private JsonLine SkipLongLine()
    {
        var number = ++_lineNumber;
        var preview = _buffer.AsSpan(_start, PreviewBytes).ToArray();
        long length = _end - _start;
        _start = _end = 0;
        while (true)
        {
            Fill();
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                length += newline;
                _start = newline + 1;
                break;
            }

            length += _end - _start;
            _start = _end = 0;
            if (_eof)
            {
                break;
            }
        }

        return new JsonLine(number, preview, $"line is {length} bytes, over the {MaxLineBytes / (1024 * 1024)} MiB limit");
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes + 1));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        _decompressed += read;
    }

    private string? TrailerProblem()
    {
        if (_gzipFile is null || _checkedTrailer)
        {
            return null;
        }

        _checkedTrailer = true;
        if (_gzipTrailerSize is null || _gzipTrailerSize.Value != (uint)_decompressed)
        {
            return $"gzip stream ends early: {_decompressed} bytes decompressed, the trailer says {_gzipTrailerSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} (truncated file?)";
        }

        return null;
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}

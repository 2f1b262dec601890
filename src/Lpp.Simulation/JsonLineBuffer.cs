using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Lpp.Simulation;

/// <summary>
/// A growable UTF-8 buffer for JSON Lines that spells JSON exactly as <see cref="System.Text.Json.Utf8JsonWriter"/>
/// does with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (the same <see cref="Utf8Formatter"/> calls for
/// numbers, the same encoder for strings), without its per-call state checks. Structure is the caller's job: it writes
/// bytes, numbers and quoted strings where it is told to. Hands full buffers to the destination in large writes, each on
/// a thread-pool thread while the caller fills a second buffer, so a disk that throttles the writer (dirty page cache)
/// costs wall time only when it is slower than the formatting. At most one write is in flight.
/// </summary>
internal sealed class JsonLineBuffer
{
    /// <summary>Bytes gathered before a write to the destination.</summary>
    public const int FlushAt = 1 << 20;

    // A direct-mapped cache of formatted doubles: simulated bodies repeat the structural logprob hundreds of times per
    // item and every chosen token's logprob twice (as the token and as its first alternative).
    private const int CacheSlots = 256;
    private const int CacheSlotBytes = 32;

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private readonly Stream _destination;
    private readonly long[] _cacheKeys = new long[CacheSlots];
    private readonly byte[] _cacheText = new byte[CacheSlots * CacheSlotBytes];
    private readonly byte[] _cacheLengths = new byte[CacheSlots];
    private byte[] _buffer;
    private byte[] _scratch = new byte[256];
    private byte[]? _spare;
    private Task _pending = Task.CompletedTask;
    private int _position;

    /// <summary>A buffer in front of <paramref name="destination"/>, <paramref name="capacity"/> bytes to start with.</summary>
    public JsonLineBuffer(Stream destination, int capacity = FlushAt * 2)
    {
        _destination = destination;
        _buffer = new byte[capacity];

        // Key 0 is +0.0, whose text would otherwise be taken for an empty slot: mark every slot empty with a NaN payload
        // no formatted value can have (NaN is refused before the cache is consulted).
        Array.Fill(_cacheKeys, unchecked((long)0xFFF8_DEAD_BEEF_0001));
    }

    /// <summary>Copies <paramref name="bytes"/> as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (_buffer.Length - _position < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>Writes one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Byte(byte value)
    {
        if (_position == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_position++] = value;
    }

    /// <summary>Writes a whole number as <c>Utf8JsonWriter.WriteNumberValue(long)</c> does.</summary>
    public void Number(long value)
    {
        if (_buffer.Length - _position < 24)
        {
            Grow(24);
        }

        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_position), out var written);
        _position += written;
    }

    /// <summary>
    /// Writes a double as <c>Utf8JsonWriter.WriteNumberValue(double)</c> does: the shortest text that round-trips.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not finite (JSON has no such number).</exception>
    public void Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{value} is not a finite number and cannot be written as JSON", nameof(value));
        }

        if (_buffer.Length - _position < CacheSlotBytes)
        {
            Grow(CacheSlotBytes);
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var slot = (int)((ulong)(bits * unchecked((long)0x9E37_79B9_7F4A_7C15)) >> 56);
        var text = _cacheText.AsSpan(slot * CacheSlotBytes, CacheSlotBytes);
        if (_cacheKeys[slot] == bits)
        {
            text[.._cacheLengths[slot]].CopyTo(_buffer.AsSpan(_position));
            _position += _cacheLengths[slot];
            return;
        }

        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_position), out var written);
        _buffer.AsSpan(_position, written).CopyTo(text);
        _cacheKeys[slot] = bits;
        _cacheLengths[slot] = (byte)written;
        _position += written;
    }

    /// <summary>Writes <paramref name="value"/> as a quoted JSON string, or <c>null</c> when it is null.</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Raw("null"u8);
            return;
        }

        // Worst case: every UTF-16 unit becomes 3 UTF-8 bytes, each escaped as \uXXXX (6 bytes), plus the quotes.
        var most = (value.Length * 18) + 2;
        if (_buffer.Length - _position < most)
        {
            Grow(most);
        }

        _buffer[_position++] = (byte)'"';
        var utf8 = _buffer.AsSpan(_position);
        var length = Encoding.UTF8.GetBytes(value, utf8);
        var first = Encoder.FindFirstCharacterToEncodeUtf8(utf8[..length]);
        if (first < 0)
        {
            _position += length;
        }
        else
        {
            // Escape the tail the way Utf8JsonWriter does with a custom encoder: everything after the first character
            // to escape goes through the encoder.
            var tail = length - first;
            if (_scratch.Length < tail)
            {
                _scratch = new byte[Math.Max(tail, _scratch.Length * 2)];
            }

            utf8[first..length].CopyTo(_scratch);
            Encoder.EncodeUtf8(_scratch.AsSpan(0, tail), utf8[first..], out _, out var escaped);
            _position += first + escaped;
        }

        _buffer[_position++] = (byte)'"';
    }

    /// <summary>
    /// Ends the line and, when the buffer holds <see cref="FlushAt"/> bytes or more, starts writing it to the destination
    /// in the background (after the previous write has finished; its exception, if any, is thrown here).
    /// </summary>
    public void EndLine()
    {
        Byte((byte)'\n');
        if (_position >= FlushAt)
        {
            _pending.GetAwaiter().GetResult();
            var full = _buffer;
            var count = _position;
            _buffer = _spare ?? new byte[_buffer.Length];
            _spare = full;
            _position = 0;
            _pending = Task.Run(() => _destination.Write(full, 0, count));
        }
    }

    /// <summary>Waits for the background write, writes what is left to the destination and flushes it.</summary>
    public void Flush()
    {
        _pending.GetAwaiter().GetResult();
        _destination.Write(_buffer, 0, _position);
        _position = 0;
        _destination.Flush();
    }

    /// <summary>
    /// Waits for the background write without throwing, so a caller leaving on an exception of its own does not close
    /// the destination under a write in flight (whose failure the caller's exception already supersedes).
    /// </summary>
    public void Abandon()
    {
        try
        {
            _pending.GetAwaiter().GetResult();
        }
        catch (IOException)
        {
            // Superseded by the exception the caller is already leaving with.
        }
        catch (ObjectDisposedException)
        {
            // Same.
        }
    }

    /// <summary>The bytes written since the last hand-over (for tests and callers that take the text in memory).</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(0, _position);

    private void Grow(int needed)
    {
        var size = Math.Max(_buffer.Length * 2, _position + needed);
        Array.Resize(ref _buffer, size);
    }
}

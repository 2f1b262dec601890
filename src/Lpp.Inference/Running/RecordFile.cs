using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The append-only JSON Lines output of <c>lpp infer</c>. On open, the ids of the complete lines already there are
/// read (a resumed run skips them) and a torn last line, left by a run killed mid-write, is cut off. Records that are
/// not finished are taken out so that the run writes them again: those whose call failed in transport
/// (<c>error_kind</c> <c>transport</c>), and with <c>retryFailed</c> every record written with an <c>error</c>. Taking
/// them out rewrites the file to a temporary file beside it that then replaces it (one rename), so a run killed at any
/// point leaves either the old file or the new one. Each record is flushed as one line:
/// <c>{id, source, labels, abstain_labels, output, truth, error, error_kind?, response}</c>, the raw response made
/// compact when it spans lines.
/// </summary>
public sealed class RecordFile : IRecordSink, IDisposable
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly ArrayBufferWriterPool _buffers = new();
    private readonly Lock _lock = new();
    private FileStream _stream;

    /// <summary>Opens <paramref name="path"/> for appending, creating it and its folder when needed.</summary>
    /// <param name="path">The output file.</param>
    /// <param name="retryFailed">True to take out (and so run again) every record written with an error, not only transport failures.</param>
    public RecordFile(string path, bool retryFailed = false)
    {
        _path = path;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        _stream = Open(path);
        var dropped = new List<(long Start, long End)>();
        var complete = ReadExisting(retryFailed, dropped);
        if (dropped.Count > 0)
        {
            Rewrite(complete, dropped);
        }
        else
        {
            _stream.SetLength(complete);
            _stream.Position = complete;
        }
    }

    /// <summary>Records found when the file was opened (those taken out to run again excluded).</summary>
    public int ExistingCount { get; private set; }

    /// <summary>Records taken out when the file was opened, to be run again (transport failures; with retryFailed, every failure).</summary>
    public int RetryCount { get; private set; }

    /// <inheritdoc />
    public bool Contains(string recordId)
    {
        lock (_lock)
        {
            return _ids.Contains(recordId);
        }
    }

    /// <inheritdoc />
    public void Write(DecisionRecord record, RecordError? error, string? response)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = _buffers.Rent();
        using (var writer = new Utf8JsonWriter(buffer, DecisionRecordJson.WriterOptions))
        {
            DecisionRecordJson.Write(writer, record, w =>
            {
                w.WriteString("error", error?.Message);
                if (error is not null)
                {
                    w.WriteString("error_kind", error.KindName);
                }

                w.WritePropertyName("response");
                if (response is null)
                {
                    w.WriteNullValue();
                }
                else if (response.AsSpan().IndexOfAny('\n', '\r') >= 0)
                {
                    // A pretty-printed body (OpenAI's own answers are) is written compact: one record, one line.
                    using var body = JsonDocument.Parse(response);
                    body.WriteTo(w);
                }
                else
                {
                    w.WriteRawValue(response, skipInputValidation: false);
                }
            });
        }

        lock (_lock)
        {
            if (!_ids.Add(record.Id))
            {
                _buffers.Return(buffer);
                throw new InvalidOperationException($"record {record.Id} was already written");
            }

            _stream.Write(buffer.WrittenSpan);
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
        }

        _buffers.Return(buffer);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private static FileStream Open(string path) => new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);

    /// <summary>
    /// Reads the ids of the complete lines, noting the lines to take out in <paramref name="dropped"/>, and returns
    /// the length of the complete part of the file.
    /// </summary>
    private long ReadExisting(bool retryFailed, List<(long Start, long End)> dropped)
    {
        long complete = 0;
        long position = 0;
        var line = new List<byte>(4096);
        var chunk = new byte[1 << 16];
        int read;
        while ((read = _stream.Read(chunk)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                position++;
                if (chunk[i] != (byte)'\n')
                {
                    line.Add(chunk[i]);
                    continue;
                }

                var (id, hasError, kind) = Scan(CollectionsMarshal.AsSpan(line));
                if (id is not null)
                {
                    if (hasError && (retryFailed || kind == "transport"))
                    {
                        dropped.Add((complete, position));
                        RetryCount++;
                    }
                    else
                    {
                        _ids.Add(id);
                        ExistingCount++;
                    }
                }

                line.Clear();
                complete = position;
            }
        }

        return complete;
    }

    /// <summary>Copies the complete part of the file without the dropped lines to a temporary file, then renames it over the output.</summary>
    private void Rewrite(long complete, List<(long Start, long End)> dropped)
    {
        var temporary = _path + ".rewrite.tmp";
        using (var copy = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                long from = 0;
                foreach (var (start, end) in dropped.Append((complete, complete)))
                {
                    _stream.Position = from;
                    for (var left = start - from; left > 0;)
                    {
                        var n = _stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                        if (n == 0)
                        {
                            throw new IOException($"{_path} changed while being rewritten");
                        }

                        copy.Write(buffer, 0, n);
                        left -= n;
                    }

                    from = end;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            copy.Flush(flushToDisk: true);
        }

        _stream.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _stream = Open(_path);
        _stream.Position = _stream.Length;
    }

    /// <summary>The id of a line, whether it has a non-null error, and its error kind (null when absent).</summary>
    private static (string? Id, bool HasError, string? Kind) Scan(ReadOnlySpan<byte> line)
    {
        string? id = null;
        var hasError = false;
        string? kind = null;
        if (line.IsEmpty)
        {
            return (null, false, null);
        }

        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, false, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("id"u8) ? 0 : reader.ValueTextEquals("error"u8) ? 1 : reader.ValueTextEquals("error_kind"u8) ? 2 : -1;
                reader.Read();
                if (name == 0 && reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString();
                }
                else if (name == 1)
                {
                    hasError = reader.TokenType != JsonTokenType.Null;
                }
                else if (name == 2 && reader.TokenType == JsonTokenType.String)
                {
                    kind = reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return (id, hasError, kind);
    }

    /// <summary>Reuses serialization buffers across records so memory stays flat over long runs.</summary>
    private sealed class ArrayBufferWriterPool
    {
        private readonly ConcurrentBag<ArrayBufferWriter<byte>> _pool = [];

        public ArrayBufferWriter<byte> Rent() => _pool.TryTake(out var buffer) ? buffer : new ArrayBufferWriter<byte>(4096);

        public void Return(ArrayBufferWriter<byte> buffer)
        {
            buffer.ResetWrittenCount();
            _pool.Add(buffer);
        }
    }
}

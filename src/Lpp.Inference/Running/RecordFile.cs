using System.Text.Json;

namespace Lpp.Inference;

/// <summary>
/// The append-only JSON Lines output of <c>lpp infer</c>. On open, the ids of the complete lines already there are
/// read (a resumed run skips them) and a torn last line, left by a run killed mid-write, is cut off. Each record is
/// flushed as one line: <c>{id, source, labels, abstain_labels, output, truth, error, response}</c>.
/// </summary>
public sealed class RecordFile : IRecordSink, IDisposable
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly FileStream _stream;
    private readonly ArrayBufferWriterPool _buffers = new();
    private readonly Lock _lock = new();

    /// <summary>Opens <paramref name="path"/> for appending, creating it and its folder when needed.</summary>
    public RecordFile(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        var complete = ReadExisting();
        _stream.SetLength(complete);
        _stream.Position = complete;
    }

    /// <summary>Records found when the file was opened.</summary>
    public int ExistingCount { get; private set; }

    /// <inheritdoc />
    public bool Contains(string recordId)
    {
        lock (_lock)
        {
            return _ids.Contains(recordId);
        }
    }

    /// <inheritdoc />
    public void Write(DecisionRecord record, string? error, string? response)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = _buffers.Rent();
        using (var writer = new Utf8JsonWriter(buffer, DecisionRecordJson.WriterOptions))
        {
            DecisionRecordJson.Write(writer, record, w =>
            {
                w.WriteString("error", error);
                w.WritePropertyName("response");
                if (response is null)
                {
                    w.WriteNullValue();
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

    /// <summary>Reads the ids of the complete lines and returns the length of the complete part of the file.</summary>
    private long ReadExisting()
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

                if (IdOf(line) is { } id)
                {
                    _ids.Add(id);
                    ExistingCount++;
                }

                line.Clear();
                complete = position;
            }
        }

        return complete;
    }

    private static string? IdOf(List<byte> line)
    {
        if (line.Count == 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Reuses serialization buffers across records so memory stays flat over long runs.</summary>
    private sealed class ArrayBufferWriterPool
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<System.Buffers.ArrayBufferWriter<byte>> _pool = [];

        public System.Buffers.ArrayBufferWriter<byte> Rent() => _pool.TryTake(out var buffer) ? buffer : new System.Buffers.ArrayBufferWriter<byte>(4096);

        public void Return(System.Buffers.ArrayBufferWriter<byte> buffer)
        {
            buffer.ResetWrittenCount();
            _pool.Add(buffer);
        }
    }
}

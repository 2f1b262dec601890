namespace Lpp.Cli;

/// <summary>Writes rejected lines as JSON Lines to a file, or to standard error when no file was given; counts them.</summary>
internal sealed class RejectsWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;

    private RejectsWriter(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <summary>How many rejections were written.</summary>
    public long Count { get; private set; }

    /// <summary>Opens <paramref name="path"/> for writing, or standard error when it is null.</summary>
    public static RejectsWriter Open(string? path) =>
        path is null ? new RejectsWriter(Console.Error, ownsWriter: false) : new RejectsWriter(OutputFiles.CreateText(path, "--rejects"), ownsWriter: true);

    /// <summary>Writes one rejection.</summary>
    public void Write(RecordRejection rejection)
    {
        _writer.WriteLine(rejection.ToJson());
        Count++;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
    }
}

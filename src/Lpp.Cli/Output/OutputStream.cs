namespace Lpp.Cli;

/// <summary>
/// A file being written for an output option: every I/O failure (a full disk, a vanished folder, a closed pipe)
/// becomes a <see cref="CliException"/> naming the option, the path the user gave and the cause, never a stack trace.
/// A staged file (a temporary file beside the target) is flushed to disk when disposed; <see cref="StagedOutputs"/>
/// renames it into place when the command completes.
/// </summary>
internal sealed class OutputStream(FileStream inner, string option, string path, bool staged) : Stream
{
    private bool _disposed;

    /// <summary>The path the user gave.</summary>
    public string Path => path;

    public override bool CanRead => false;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => !_disposed;

    public override long Length => Guard(() => inner.Length);

    public override long Position
    {
        get => Guard(() => inner.Position);
        set => Guard(() => inner.Position = value);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (Exception e) when (OutputFiles.IsIoFailure(e))
        {
            throw Failure(e);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (OutputFiles.IsIoFailure(e))
        {
            throw Failure(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => Guard(() =>
    {
        inner.Flush();
        return 0;
    });

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("an output is written, not read");

    public override long Seek(long offset, SeekOrigin origin) => Guard(() => inner.Seek(offset, origin));

    public override void SetLength(long value) => Guard(() =>
    {
        inner.SetLength(value);
        return 0;
    });

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing || _disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // A staged file must be on disk before it is renamed over the target: a crash then leaves the old file or the new one.
            inner.Flush(flushToDisk: staged);
            inner.Dispose();
        }
        catch (Exception e) when (OutputFiles.IsIoFailure(e))
        {
            try
            {
                inner.Dispose();
            }
            catch (Exception again) when (OutputFiles.IsIoFailure(again))
            {
                // The handle is released either way; the first failure is the one to report.
            }

            throw Failure(e);
        }
        finally
        {
            base.Dispose(disposing);
        }
    }

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (OutputFiles.IsIoFailure(e))
        {
            throw Failure(e);
        }
    }

    private CliException Failure(Exception e) => new($"{option} {path}: cannot write ({OutputFiles.Describe(e)})");
}

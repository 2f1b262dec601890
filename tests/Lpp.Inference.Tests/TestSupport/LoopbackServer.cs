using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lpp.Inference.Tests;

/// <summary>What the loopback server answers to one request.</summary>
public sealed record Reply(int Status, string Body)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Never answers (until the client gives up or the server stops).</summary>
    public bool Hang { get; init; }

    /// <summary>Announces the full length, sends half the body, then closes the connection.</summary>
    public bool Truncate { get; init; }

    public static Reply Json(string body) => new(200, body);
}

/// <summary>A request as the loopback server received it.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) that records every request and answers from a
/// handler: the provider tests' stand-in for the real services (no test reaches the internet).
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ReceivedRequest, int, Reply> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly bool _record;
    private int _count;

    public LoopbackServer(Func<ReceivedRequest, int, Reply> handler, bool recordRequests = true)
    {
        _handler = handler;
        _record = recordRequests;
        _listener.Start(512);
        _accept = AcceptAsync();
    }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public int Count => Volatile.Read(ref _count);

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}/v1/");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new BufferedReader(stream);
                while (!_stop.IsCancellationRequested)
                {
                    var requestLine = await reader.ReadLineAsync(_stop.Token);
                    if (string.IsNullOrEmpty(requestLine))
                    {
                        return;
                    }

                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    string? line;
                    while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                    {
                        var colon = line.IndexOf(':', StringComparison.Ordinal);
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }

                    var length = headers.TryGetValue("Content-Length", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : 0;
                    var body = Encoding.UTF8.GetString(await reader.ReadBytesAsync(length, _stop.Token));
                    var parts = requestLine.Split(' ');
                    var request = new ReceivedRequest(parts[0], parts[1], headers, body);
                    if (_record)
                    {
                        Requests.Enqueue(request);
                    }
                    var reply = _handler(request, Interlocked.Increment(ref _count));
                    if (reply.Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }

                    var bytes = Encoding.UTF8.GetBytes(reply.Body);
                    var head = new StringBuilder()
                        .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {reply.Status} X\r\n")
                        .Append("Content-Type: application/json\r\n")
                        .Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes.Length}\r\n");
                    foreach (var (name, value) in reply.Headers)
                    {
                        head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                    }

                    head.Append("\r\n");
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                    if (reply.Truncate)
                    {
                        await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                        return;
                    }

                    await stream.WriteAsync(bytes, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private sealed class BufferedReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(ct))
                {
                    return line.Count == 0 ? null : Encoding.ASCII.GetString([.. line]);
                }

                var b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
                }

                line.Add(b);
            }
        }

        public async Task<byte[]> ReadBytesAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var at = 0;
            while (at < count)
            {
                if (_start == _end && !await FillAsync(ct))
                {
                    throw new IOException("connection closed mid-body");
                }

                var n = Math.Min(count - at, _end - _start);
                Array.Copy(_buffer, _start, result, at, n);
                _start += n;
                at += n;
            }

            return result;
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, ct);
            return _end > 0;
        }
    }
}

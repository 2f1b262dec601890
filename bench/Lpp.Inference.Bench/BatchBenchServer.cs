using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Lpp.Inference.Bench;

/// <summary>
/// A loopback OpenAI Batch API (Files and Batches, PROVIDERS.md "Batch interfaces") on Kestrel that streams both ways:
/// an uploaded file is read line by line and each request's answer line (the recorded body, under its custom_id) is
/// appended to an output file on disk, so the server's memory does not grow with the batch either. Every batch is
/// <c>completed</c> at its first poll.
/// </summary>
internal sealed class BatchBenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly Dictionary<string, string> _files = [];
    private readonly Dictionary<string, string> _batches = [];
    private int _next;

    private BatchBenchServer(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<BatchBenchServer> StartAsync(string folder, string answerBody)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new BatchBenchServer(app, folder);
        var answer = Encoding.UTF8.GetBytes(answerBody.ReplaceLineEndings(string.Empty));
        app.MapPost("/v1/files", (Delegate)((HttpContext context) => server.UploadAsync(context, answer)));
        app.MapPost("/v1/batches", (Delegate)server.CreateAsync);
        app.MapGet("/v1/batches/{id}", (string id) => server.Poll(id));
        app.MapGet("/v1/files/{id}/content", (HttpContext context, string id) => context.Response.SendFileAsync(server.Path(id)));
        app.MapDelete("/v1/files/{id}", (string id) => server.Delete(id));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private string Path(string id)
    {
        lock (_files)
        {
            return _files[id];
        }
    }

    /// <summary>DELETE /v1/files/{id} as OpenAI answers it; the input and output share one id here, so its second deletion is a 404.</summary>
    private IResult Delete(string id)
    {
        string? path;
        lock (_files)
        {
            _files.Remove(id, out path);
        }

        if (path is null)
        {
            return Results.Text($$$"""{"error":{"message":"No such File object: {{{id}}}","type":"invalid_request_error","param":"id","code":null}}""", "application/json", statusCode: 404);
        }

        File.Delete(path);
        return Results.Text($$"""{"id":"{{id}}","object":"file","deleted":true}""", "application/json");
    }

    private async Task<IResult> UploadAsync(HttpContext context, byte[] answer)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, context.Request.Body);
        var id = "file-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var output = System.IO.Path.Combine(_folder, id + ".out.jsonl");
        var lines = 0;
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            if (!(section.ContentDisposition?.Contains("name=file", StringComparison.Ordinal) ?? false)
                && !(section.ContentDisposition?.Contains("name=\"file\"", StringComparison.Ordinal) ?? false))
            {
                await section.Body.CopyToAsync(Stream.Null);
                continue;
            }

            await using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            using var text = new StreamReader(section.Body, Encoding.UTF8);
            while (await text.ReadLineAsync() is { } line)
            {
                const string Start = "{\"custom_id\":\"";
                if (!line.StartsWith(Start, StringComparison.Ordinal))
                {
                    continue;
                }

                var key = line.AsSpan(Start.Length, line.IndexOf('"', Start.Length) - Start.Length);
                file.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"id\":\"batch_req_{lines}\",\"custom_id\":\"{key}\",\"response\":{{\"status_code\":200,\"request_id\":\"r\",\"body\":")));
                file.Write(answer);
                file.Write("},\"error\":null}\n"u8);
                lines++;
            }
        }

        lock (_files)
        {
            _files[id] = output;
        }

        return Results.Text($$"""{"id":"{{id}}","object":"file","bytes":0,"created_at":1,"filename":"b.jsonl","purpose":"batch"}""", "application/json");
    }

    private async Task<IResult> CreateAsync(HttpContext context)
    {
        using var doc = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
        var file = doc.RootElement.GetProperty("input_file_id").GetString()!;
        string id;
        lock (_batches)
        {
            id = "batch_" + (_batches.Count + 1).ToString(CultureInfo.InvariantCulture);
            _batches[id] = file;
        }

        return Results.Text($$"""{"id":"{{id}}","object":"batch","status":"validating","input_file_id":"{{file}}","output_file_id":null,"error_file_id":null,"created_at":1}""", "application/json");
    }

    private IResult Poll(string id)
    {
        string file;
        lock (_batches)
        {
            file = _batches[id];
        }

        return Results.Text($$"""{"id":"{{id}}","object":"batch","status":"completed","input_file_id":"{{file}}","output_file_id":"{{file}}","error_file_id":null,"request_counts":{"total":0,"completed":0,"failed":0},"created_at":1}""", "application/json");
    }
}

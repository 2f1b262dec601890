// The baseline of scripts/load-serve.sh: a bare Kestrel endpoint that reads the whole request body and writes a fixed
// answer, with lpp serve's Kestrel settings and runtime settings, so that lpp serve's single-record rate can be read
// as a share of what Kestrel alone does on the same machine at the same moment. Usage:
//   dotnet bench/Lpp.Serve.Bare/bin/Release/net10.0/Lpp.Serve.Bare.dll URL ANSWER-FILE
// POST /v1/route answers ANSWER-FILE's bytes as application/json (the script gives it a real decision of lpp serve);
// GET /readyz answers "ready".
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Lpp.Serve.Bare URL ANSWER-FILE");
    return 2;
}

var answer = File.ReadAllBytes(args[1]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(args[0]);
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
var app = builder.Build();
app.MapPost("/v1/route", async (HttpContext context) =>
{
    var body = context.Request.BodyReader;
    while (true)
    {
        var read = await body.ReadAsync(context.RequestAborted);
        body.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    context.Response.ContentType = "application/json";
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer, context.RequestAborted);
});
app.MapGet("/readyz", () => "ready\n");
await app.RunAsync();
return 0;

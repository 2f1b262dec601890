using System.CommandLine;
using Lpp.Serving;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp serve</c>: the routing service with audit log and review queues.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var urls = new Option<string>("--urls") { Description = "Where to listen, ';'-separated (loopback unless told otherwise).", DefaultValueFactory = _ => ServeDefaults.Urls };
        var store = new StoreOptions();
        var apiKeys = new Option<string?>("--api-keys") { Description = "API keys file {\"keys\": [{\"name\", \"sha256\", \"scopes\"}]}; without it the API is open." };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body (413 above it).", DefaultValueFactory = _ => ServeDefaults.MaxBodyBytes };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most records in one batch request (413 above it).", DefaultValueFactory = _ => ServeDefaults.MaxBatchRecords };
        var rate = new Option<double>("--rate-limit") { Description = "Requests per second per API key (429 above it); 0 for none.", DefaultValueFactory = _ => ServeDefaults.RateLimit };
        var burst = new Option<double?>("--rate-burst") { Description = "Requests a key may send at once (default: one second's worth)." };
        var durability = new Option<string>("--durability")
        {
            Description = "SQLite commits: full (synchronous=FULL, a power cut loses no answered decision) or fast (synchronous=NORMAL, survives a killed process only).",
            DefaultValueFactory = _ => "full",
        }.AcceptOnlyFromAmong("full", "fast");
        var auditRate = new Option<double>("--audit-rate") { Description = "Share of trusted decisions (0 to 1) also sent to the audit queue for review, by a hash of the decision id.", DefaultValueFactory = _ => ServeDefaults.AuditRate };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not reload the model when its file changes." };
        var allowMismatch = CommonOptions.AllowShapeMismatch();
        var costs = CommonOptions.Costs();
        var capacity = new Option<string?>("--capacity") { Description = "Reviewers' capacity per escalation queue over the trailing hour, e.g. review=600/h,senior_review=60/h: escalations beyond it with the smallest expected saving are trusted instead (reason over_capacity)." };
        var shadowModel = new Option<string?>("--shadow-model") { Description = "A second model file that also scores every decision (the answer stays --model's); its score and decision are stored for lpp monitor. Fixed for the server's life." };
        var command = new Command("serve", "Serve routing decisions over HTTP, with an audit log, review queues and hot model reload.")
        {
            model, urls, apiKeys, maxBody, maxBatch, rate, burst, durability, auditRate, noWatch, allowMismatch, costs, capacity, shadowModel,
        };
        foreach (var option in store.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancel) =>
        {
            var (kind, database, connection) = store.Read(parse);
            var options = new ServeOptions
            {
                ModelPath = parse.GetValue(model) ?? throw new CliException("--model is required"),
                Urls = parse.GetValue(urls)!,
                DatabasePath = database,
                Store = kind,
                Durability = parse.GetValue(durability) == "fast" ? AuditDurability.Fast : AuditDurability.Full,
                PostgresConnection = connection,
                ApiKeysPath = parse.GetValue(apiKeys),
                MaxBodyBytes = parse.GetValue(maxBody),
                MaxBatchRecords = parse.GetValue(maxBatch),
                RateLimit = parse.GetValue(rate),
                RateBurst = parse.GetValue(burst),
                WatchModel = !parse.GetValue(noWatch),
                AuditRate = parse.GetValue(auditRate),
                AllowShapeMismatch = parse.GetValue(allowMismatch),
                CostsPath = parse.GetValue(costs),
                Capacity = ParseCapacity(parse.GetValue(capacity)),
                ShadowModelPath = parse.GetValue(shadowModel),
            };
            await using var server = await LppServer.StartAsync(options, TimeProvider.System).ConfigureAwait(false);
            Console.Error.WriteLine($"serve: listening on {string.Join(' ', server.Urls)}");
            await server.WaitForShutdownAsync().ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ReviewCapacity? ParseCapacity(string? text)
    {
        try
        {
            return text is null ? null : ReviewCapacity.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException($"--capacity {e.Message}");
        }
    }
}

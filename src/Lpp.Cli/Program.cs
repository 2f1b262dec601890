using System.CommandLine;
using System.CommandLine.Help;
using Lpp.Cli;
using Lpp.Cli.Commands;

// A plain command named "lpp" (not RootCommand, which takes the name of the executable file) so that help reads
// the same however the tool is launched: ./lpp, the dotnet tool, or dotnet Lpp.Cli.dll.
var verbose = new Option<bool>("--verbose") { Description = "On an unexpected failure, print its full details (stack trace).", Recursive = true };
var root = new Command("lpp", "Learn when to trust an LLM's moderation decision and when to escalate it to a human.")
{
    new HelpOption(),
    new VersionOption(),
    verbose,
    FeaturesCommand.Create(),
    InferCommand.Create(),
    RecordsCommand.Create(),
    TrainCommand.Create(),
    RouteCommand.Create(),
    ExplainCommand.Create(),
    CompareCommand.Create(),
    CompareModelsCommand.Create(),
    EvaluateCommand.Create(),
    ExperimentCommand.Create(),
    DemoCommand.Create(),
    SimulateCommand.Create(),
    ServeCommand.Create(),
    FeedbackCommand.Create(),
    AuditCommand.Create(),
    MonitorCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var line in ParseErrors.Describe(parse))
    {
        Console.Error.WriteLine($"lpp: {line}");
    }

    return ExitCodes.Usage;
}

// serve and infer stop gracefully on their own (the service drains requests; infer keeps every finished record), so
// System.CommandLine's cancellation reaches them; every other command is stopped at once with its outputs discarded.
var command = parse.CommandResult.Command.Name;
var ownSignals = command is not ("serve" or "infer");
var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
if (ownSignals)
{
    configuration.ProcessTerminationTimeout = null;
    Interruption.Install();
}

try
{
    var code = await parse.InvokeAsync(configuration);
    StagedOutputs.CommitAll();
    return code;
}
catch (CliException e)
{
    Console.Error.WriteLine($"lpp: {e.Message}");
    return ExitCodes.Usage;
}
catch (Lpp.Serving.ServeException e)
{
    Console.Error.WriteLine($"lpp: {e.Message}");
    return ExitCodes.Usage;
}
catch (OperationCanceledException) when (!ownSignals)
{
    Console.Error.WriteLine("lpp: interrupted");
    return ExitCodes.Interrupted;
}
catch (Exception e)
{
    Console.Error.WriteLine(Failures.Describe(e, command, parse.GetValue(verbose)));
    return ExitCodes.Usage;
}
finally
{
    StagedOutputs.DiscardAll();
}

using System.CommandLine;
using System.CommandLine.Help;
using Lpp.Cli;
using Lpp.Cli.Commands;

// A plain command named "lpp" (not RootCommand, which takes the name of the executable file) so that help reads
// the same however the tool is launched: ./lpp, the dotnet tool, or dotnet Lpp.Cli.dll.
var root = new Command("lpp", "Learn when to trust an LLM's moderation decision and when to escalate it to a human.")
{
    new HelpOption(),
    new VersionOption(),
    FeaturesCommand.Create(),
    InferCommand.Create(),
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
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"lpp: {error.Message}");
    }

    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliException e)
{
    Console.Error.WriteLine($"lpp: {e.Message}");
    return ExitCodes.Usage;
}

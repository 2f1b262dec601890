using System.CommandLine;
using Lpp.Cli;
using Lpp.Cli.Commands;

var root = new RootCommand("lpp: learn when to trust an LLM's moderation decision and when to escalate it to a human.")
{
    FeaturesCommand.Create(),
    InferCommand.Create(),
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

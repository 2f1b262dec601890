using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp explain</c>: what the model learned, by feature and family, and which records it was trained for.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = new Option<string[]>("--input")
        {
            Description = "Also check these decision records against what the model was trained for (the check lpp route applies), and count the reasons.",
        };
        var command = new Command("explain", "Print the model's coefficients by feature and family, each family's share of the score, and the records it was trained for.") { model, input };
        command.SetAction(parse =>
        {
            var escalation = CommonOptions.LoadModel(parse.GetValue(model));
            var inputs = parse.GetValue(input) ?? [];
            OutputFiles.CheckReadable(inputs, "--input");
            Console.Write(ModelReport.Explain(escalation));
            if (inputs.Length == 0)
            {
                return ExitCodes.Ok;
            }

            var check = ShapeCheckSummary.Run(escalation, InputReading.Read(inputs).Where(r => r.Record is not null).Select(r => r.Record!));
            Console.WriteLine();
            Console.Write(check.Describe(string.Join(", ", inputs)));
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary><c>lpp explain</c>: what the model learned, by feature and family.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var command = new Command("explain", "Print the model's coefficients by feature and family and each family's share of the score.") { model };
        command.SetAction(parse =>
        {
            Console.Write(ModelReport.Explain(CommonOptions.LoadModel(parse.GetValue(model))));
            return ExitCodes.Ok;
        });
        return command;
    }
}

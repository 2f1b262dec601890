using Lpp.Cli.Reports;
using Spectre.Console;

namespace Lpp.Cli;

/// <summary>
/// Shows an experiment's progress on standard error: a Spectre.Console bar with counts and time left when standard
/// error is a terminal, otherwise a plain line per dataset and at most one every 10 seconds.
/// </summary>
internal sealed class ExperimentProgressReporter(TimeProvider clock, string command = "experiment") : IProgress<ExperimentProgress>
{
    private readonly long _start = clock.GetTimestamp();
    private ProgressTask? _task;
    private string? _dataset;
    private TimeSpan _lastLine = TimeSpan.MinValue;

    /// <summary>Runs <paramref name="work"/> with the progress display live.</summary>
    public T Run<T>(Func<IProgress<ExperimentProgress>, T> work)
    {
        if (Console.IsErrorRedirected)
        {
            return work(this);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ProgressCountColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask("experiment", maxValue: 1);
                return work(this);
            });
    }

    public void Report(ExperimentProgress value)
    {
        if (_task is { } task)
        {
            task.MaxValue = value.Total;
            task.Value = value.Done;
            task.Description = Markup.Escape(value.Dataset);
            return;
        }

        var elapsed = clock.GetElapsedTime(_start);
        if (value.Dataset == _dataset && elapsed - _lastLine < TimeSpan.FromSeconds(10) && value.Done < value.Total)
        {
            return;
        }

        _dataset = value.Dataset;
        _lastLine = elapsed;
        var left = value.Done == 0 ? string.Empty : ReportText.Inv($", about {TimeSpan.FromSeconds(elapsed.TotalSeconds / value.Done * (value.Total - value.Done)):m\\:ss} left");
        Console.Error.WriteLine(ReportText.Inv($"{command}: {value.Dataset}: {value.Done}/{value.Total} trainings{left}"));
    }

    /// <summary>Done/total trainings.</summary>
    private sealed class ProgressCountColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(ReportText.Inv($"{task.Value:0}/{task.MaxValue:0} trainings"));
    }
}

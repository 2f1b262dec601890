using BenchmarkDotNet.Attributes;
using Lpp.Simulation;

namespace Lpp.Benchmarks;

/// <summary>
/// <c>lpp simulate</c>'s work without the disk: generate items and write them as JSON Lines to <see cref="Stream.Null"/>,
/// per format, with and without chain of thought. Each invocation writes <see cref="Items"/> items; BenchmarkDotNet
/// reports the time per item (OperationsPerInvoke), so items/min = 60e9 / Mean[ns]. The goal is at least 1,000,000 a minute.
/// Run: dotnet run -c Release --project bench/Lpp.Benchmarks -- --filter '*SimulationBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    private const int Items = 20_000;

    [Params(SimulationFormat.Records, SimulationFormat.OpenAi, SimulationFormat.Gemini)]
    public SimulationFormat Format { get; set; }

    [Params(false, true)]
    public bool Cot { get; set; }

    [Benchmark(OperationsPerInvoke = Items)]
    public long Simulate() =>
        SimulationWriter.WriteLines(new ModerationSimulator(new SimulationOptions { ChainOfThought = Cot }).Generate(Items), Stream.Null, Format);

    [Benchmark(OperationsPerInvoke = Items)]
    public long GenerateOnly()
    {
        long n = 0;
        foreach (var item in new ModerationSimulator(new SimulationOptions { ChainOfThought = Cot }).Generate(Items))
        {
            n += item.Record.Id.Length;
        }

        return n;
    }
}

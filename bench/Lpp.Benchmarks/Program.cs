using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Lpp.Benchmarks.FeatureBenchmarks).Assembly).Run(args);

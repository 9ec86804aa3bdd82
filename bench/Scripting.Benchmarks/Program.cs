using System.Diagnostics;
using BenchmarkDotNet.Running;
using Scripting.Benchmarks;

if (args is ["--compile"])
{
    CompileTimes.Run();
    return;
}

if (args is ["--python"])
{
    PythonHandoff.Run();
    return;
}

if (args is ["--quick"])
{
    // A fast sanity check without BenchmarkDotNet: best of 20 rounds.
    var benchmark = new LineProtocolParserBenchmarks();
    benchmark.Setup();
    var best = double.MaxValue;
    for (var round = 0; round < 20; round++)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            benchmark.ParseHomeLines();
        }

        best = Math.Min(best, watch.Elapsed.TotalNanoseconds / (20.0 * LineProtocolParserBenchmarks.Lines));
    }

    Console.WriteLine($"{best:F1} ns/line = {1e9 / best / 1e6:F2} M lines/s");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(LineProtocolParserBenchmarks).Assembly).Run(args);

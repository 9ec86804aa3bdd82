using System.Diagnostics;
using Scripting.Core.Plugins;
using Scripting.CSharp;

namespace Scripting.Benchmarks;

/// <summary>Cold (first in the process) and warm compile-and-load times of a C# plugin.</summary>
public static class CompileTimes
{
    public static void Run()
    {
        var directory = Path.Combine(Path.GetTempPath(), "scripting-compile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var runtime = new CSharpRuntime();
        var timings = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var file = Path.Combine(directory, "p.csx");
            File.WriteAllText(file, $$"""
                void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
                {
                    foreach (var batch in table_batches)
                        foreach (var row in batch.Rows.Where(r => r.ContainsKey("temp")))
                            influxdb3_local.write(new LineBuilder("copy_{{i}}").float64_field("temp", (double)row["temp"]!));
                }
                """);
            var watch = Stopwatch.StartNew();
            var code = runtime.Load(new PluginSource("p.csx", file, Guid.NewGuid().ToString("N")));
            timings.Add(watch.Elapsed.TotalMilliseconds);
            runtime.Release(code);
        }

        var warm = timings.Skip(1).Order().ToList();
        Console.WriteLine($"cold compile+load {timings[0]:F0} ms; warm median {warm[warm.Count / 2]:F0} ms, min {warm[0]:F0} ms, max {warm[^1]:F0} ms over {warm.Count}");
        Directory.Delete(directory, recursive: true);
    }
}

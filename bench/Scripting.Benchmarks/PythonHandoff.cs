using System.Diagnostics;
using Scripting.Core.Plugins;
using Scripting.PluginApi;
using Scripting.Python;
using Scripting.Python.Discovery;

namespace Scripting.Benchmarks;

/// <summary>
/// Python runtime figures, in a fresh process: interpreter start, and handing a 10,000-row
/// <c>process_writes</c> batch to Python (rows become dicts of Python values), without and with a plugin
/// that reads every row.
///   dotnet run -c Release --project bench/Scripting.Benchmarks -- --python
/// </summary>
internal static class PythonHandoff
{
    private const int Rows = 10_000;
    private const int Runs = 50;
    private const int Warmup = 40;

    public static void Run()
    {
        var watch = Stopwatch.StartNew();
        var installation = PythonLocator.Find(null, out var problem) ?? throw new InvalidOperationException(problem);
        var located = watch.Elapsed;
        watch.Restart();
        var runtime = new PythonRuntime(installation);
        var started = watch.Elapsed;
        Console.WriteLine($"python: locate {located.TotalMilliseconds:F1} ms (asks python3 for sysconfig), interpreter + runtime start {started.TotalMilliseconds:F1} ms (Python {installation.Version})");

        var directory = Path.Combine(Path.GetTempPath(), "scripting-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var batch = new TableBatch("home", Enumerable.Range(0, Rows).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["room"] = (i & 1) == 0 ? "Living Room" : "Kitchen",
            ["temp"] = 20.0 + (i % 10),
            ["hum"] = 35.0 + (i % 9),
            ["co"] = (long)(i % 3),
            ["time"] = 1_700_000_000_000_000_000L + i,
        }).ToList());

        foreach (var (name, body) in new[]
        {
            ("handoff only (len of rows)", "    n = len(table_batches[0]['rows'])\n"),
            ("handoff + read every row (sum temp)", "    s = sum(r['temp'] for r in table_batches[0]['rows'])\n"),
            ("handoff only (len of rows), again", "    n = len(table_batches[0]['rows'])\n"),
        })
        {
            var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".py");
            File.WriteAllText(path, "def process_writes(influxdb3_local, table_batches, args=None):\n" + body);
            var code = runtime.Load(new PluginSource(Path.GetFileName(path), path, Guid.NewGuid().ToString("N")));
            var timings = new List<double>();
            for (var run = 0; run < Runs + Warmup; run++)
            {
                var start = Stopwatch.GetTimestamp();
                code.ProcessWrites(NoLocal.Instance, [batch], null, CancellationToken.None);
                if (run >= Warmup)
                {
                    timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            timings.Sort();
            Console.WriteLine($"process_writes, {Rows:N0} rows, {name}: min {timings[0]:F2} ms, median {timings[Runs / 2]:F2} ms, p90 {timings[(int)(Runs * 0.9)]:F2} ms over {Runs} runs");
        }

        Directory.Delete(directory, recursive: true);
    }

    private sealed class NoLocal : IInfluxDb3Local
    {
        public static readonly NoLocal Instance = new();

        public IPluginCache Cache => throw new NotSupportedException();

        public CancellationToken Cancellation => CancellationToken.None;

        public void Info(params object?[] parts)
        {
        }

        public void Warn(params object?[] parts)
        {
        }

        public void Error(params object?[] parts)
        {
        }

        public void Write(LineBuilder line)
        {
        }

        public void WriteToDb(string database, LineBuilder line)
        {
        }

        public void WriteSync(LineBuilder line, bool noSync)
        {
        }

        public void WriteSyncToDb(string database, LineBuilder line, bool noSync)
        {
        }

        public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, string>? args = null, string? database = null) => [];
    }
}

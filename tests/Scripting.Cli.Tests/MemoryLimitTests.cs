using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Scripting.Cli.Tests;

/// <summary>
/// A plugin that allocates without bound is stopped at the plugin memory limit, each time it runs, while
/// the server goes on taking writes and answering queries. Each hog stops by itself at 3 GB, so without the
/// limit its request would succeed (and the test fail) rather than exhaust the machine.
/// </summary>
public sealed class MemoryLimitTests(ITestOutputHelper output) : IDisposable
{
    private const string CSharpHog = """
        object process_request(IInfluxDb3Local influxdb3_local, IReadOnlyDictionary<string, string> query_parameters, IReadOnlyDictionary<string, string> request_headers, byte[] request_body, IReadOnlyDictionary<string, string>? args)
        {
            var hoard = new List<byte[]>();
            for (var megabyte = 0; megabyte < 3072; megabyte++)
            {
                var block = new byte[1 << 20];
                for (var page = 0; page < block.Length; page += 4096)
                {
                    block[page] = 1;
                }

                hoard.Add(block);
            }

            return $"kept {hoard.Count} MiB";
        }
        """;

    private const string PythonHog = """
        def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
            hoard = []
            for i in range(30_000_000):
                hoard.append("x" * 40 + str(i))
            return {"kept": len(hoard)}
        """;

    private const string PythonFine = """
        def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
            return {"fine": True}
        """;

    private readonly string _root = TempDirectory.NewPath("memory");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public Task CSharpPlugin_AllocatingWithoutBound_IsStoppedAtTheLimit_ServerKeepsServing() =>
        HogIsStoppedAsync("hog.csx", CSharpHog);

    [Fact]
    [Trait("Category", "Python")]
    public Task PythonPlugin_AllocatingSmallObjectsWithoutBound_IsStoppedAtTheLimit_ServerKeepsServing() =>
        HogIsStoppedAsync("hog.py", PythonHog);

    private async Task HogIsStoppedAsync(string file, string code)
    {
        var plugins = Path.Combine(_root, "plugins");
        Directory.CreateDirectory(plugins);
        File.WriteAllText(Path.Combine(plugins, file), code);
        File.WriteAllText(Path.Combine(plugins, "fine.py"), PythonFine);
        await using var server = await ServerProcess.StartAsync(Path.Combine(_root, "data"), "--plugin-dir", plugins, "--plugin-memory-limit", "400MiB");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(60) };
        await CliProcess.RunAsync(["create", "database", "home", "--host", server.Url]);
        (await CliProcess.RunAsync(["create", "trigger", "-d", "home", "--trigger-spec", "request:hog", "--plugin-filename", file, "hog", "--host", server.Url])).ExitCode.ShouldBe(0);
        (await CliProcess.RunAsync(["create", "trigger", "-d", "home", "--trigger-spec", "request:fine", "--plugin-filename", "fine.py", "fine", "--host", server.Url])).ExitCode.ShouldBe(0);

        using var stop = new CancellationTokenSource();
        var served = 0;
        var failures = new List<string>();
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var write = await http.PostAsync("/api/v3/write_lp?db=home", new StringContent($"during,n={i % 5} v={i}i {i + 1}"));
                var query = await http.GetAsync($"/api/v3/query_sql?db=home&format=csv&q={Uri.EscapeDataString("select count(*) from during")}");
                if (write.StatusCode != HttpStatusCode.NoContent || query.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{write.StatusCode}/{query.StatusCode}");
                }

                served++;
            }
        });

        var elapsed = new List<TimeSpan>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var started = Stopwatch.StartNew();
            var response = await http.PostAsync("/api/v3/engine/hog", null);
            elapsed.Add(started.Elapsed);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError, body);
            body.ShouldContain("plugin memory reached");
            body.ShouldContain("over the limit of 400 MiB");
        }

        (await http.PostAsync("/api/v3/engine/fine", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await stop.CancelAsync();
        await traffic;

        failures.ShouldBeEmpty();
        served.ShouldBeGreaterThan(0);
        var logs = await http.GetStringAsync($"/api/v3/query_sql?db=home&format=csv&q={Uri.EscapeDataString("select log_level, log_text from system.processing_engine_logs where trigger_name = 'hog' and log_level = 'ERROR'")}");
        logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("plugin memory reached", StringComparison.Ordinal)).ShouldBe(2);
        var peak = File.ReadAllLines($"/proc/{server.ProcessId}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        output.WriteLine($"{file}: stopped after {string.Join(", ", elapsed.Select(e => $"{e.TotalMilliseconds:F0} ms"))}; {served} writes+queries served meanwhile; server peak resident {peak["VmHWM:".Length..].Trim()}");
    }
}

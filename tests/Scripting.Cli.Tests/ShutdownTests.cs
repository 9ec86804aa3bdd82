using System.Net;

namespace Scripting.Cli.Tests;

/// <summary>SIGTERM lets a run in progress finish and its queued writes land, within a bounded time.</summary>
[Trait("Category", "Python")]
public sealed class ShutdownTests : IDisposable
{
    private readonly string _root = TempDirectory.NewPath("shutdown");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Sigterm_DuringARun_TheRunFinishesItsWritesLand_AndTheServerExitsInTime()
    {
        var plugins = Path.Combine(_root, "plugins");
        Directory.CreateDirectory(plugins);
        File.WriteAllText(Path.Combine(plugins, "slow.py"), "import time\ndef process_writes(influxdb3_local, table_batches, args=None):\n    for batch in table_batches:\n        if batch['table_name'] == 'input':\n            time.sleep(1.5)\n            influxdb3_local.write(LineBuilder('output').int64_field('done', 1))\n");
        var data = Path.Combine(_root, "data");
        TimeSpan took;
        await using (var server = await ServerProcess.StartAsync(data, "--plugin-dir", plugins))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            await CliProcess.RunAsync(["create", "database", "home", "--host", server.Url]);
            (await CliProcess.RunAsync(["create", "trigger", "-d", "home", "--trigger-spec", "table:input", "--plugin-filename", "slow.py", "slow", "--host", server.Url])).ExitCode.ShouldBe(0);
            (await http.PostAsync("/api/v3/write_lp?db=home", new StringContent("input v=1i"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!(await http.GetStringAsync($"/api/v3/query_sql?db=home&format=csv&q={Uri.EscapeDataString("select count(*) from system.processing_engine_logs where log_text like 'starting execution%'")}")).Contains("\n1", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            took = await server.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        took.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        await using var restarted = await ServerProcess.StartAsync(data, "--plugin-dir", plugins);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        var output = await client.GetStringAsync($"/api/v3/query_sql?db=home&format=csv&q={Uri.EscapeDataString("select count(*) from output")}");
        output.Split('\n')[1].ShouldBe("1");
    }
}

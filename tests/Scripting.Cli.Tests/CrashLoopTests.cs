using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Cli.Tests;

/// <summary>
/// A plugin that kills the process by a means no guard can block (a native crash through ctypes) on an
/// every:1s schedule: the server dies, is restarted, dies again with the same trigger in flight, and is then
/// started with the trigger quarantined; it stays up and every acknowledged write is there.
/// </summary>
[Trait("Category", "Python")]
[Trait("Category", "Slow")]
public sealed class CrashLoopTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("crashloop").Path;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private const string Suspect = "trigger 'crash' in database 'home' had a run in flight when the server ended uncleanly";

    private string Data => Path.Combine(_root, "data");

    private string Plugins => Path.Combine(_root, "plugins");

    private static async Task WriteAsync(ServerProcess server, string line)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var response = await http.PostAsync("/api/v3/write_lp?db=home", new StringContent(line));
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ANativeCrashOnASchedule_IsQuarantinedAfterTheSecondDeath()
    {
        Directory.CreateDirectory(Plugins);
        await File.WriteAllTextAsync(Path.Combine(Plugins, "crash.py"), """
            import ctypes

            def process_scheduled_call(influxdb3_local, call_time, args=None):
                ctypes.string_at(0)
            """);

        await using (var first = await ServerProcess.StartAsync(Data, "--plugin-dir", Plugins))
        {
            await WriteAsync(first, "m v=1i 1");
            using var http = new HttpClient { BaseAddress = new Uri(first.Url) };
            try
            {
                // The first run may end the server before the answer is sent; the trigger is stored first.
                (await http.PostAsJsonAsync("/api/v3/configure/processing_engine_trigger", new { db = "home", trigger_name = "crash", plugin_filename = "crash.py", trigger_specification = "every:1s" }))
                    .StatusCode.ShouldBe(HttpStatusCode.OK);
            }
            catch (HttpRequestException)
            {
            }

            (await first.ExitedAsync(TimeSpan.FromSeconds(30))).ShouldNotBe(0);
        }

        // The schedule fires at start, so the second server may die before it answers at all.
        var acknowledged = new List<long> { 1 };
        try
        {
            await using var second = await ServerProcess.StartAsync(Data, "--plugin-dir", Plugins);
            second.Output.ShouldContain(l => l.Contains(Suspect, StringComparison.Ordinal));
            await WriteAsync(second, "m v=2i 2");
            acknowledged.Add(2);
            (await second.ExitedAsync(TimeSpan.FromSeconds(30))).ShouldNotBe(0);
        }
        catch (InvalidOperationException died) when (died.Message.StartsWith("scripting serve exited with code", StringComparison.Ordinal))
        {
            died.Message.ShouldContain(Suspect);
        }
        catch (HttpRequestException)
        {
            // It died while taking the write, which was then not acknowledged.
        }

        await using var third = await ServerProcess.StartAsync(Data, "--plugin-dir", Plugins);
        await Task.Delay(TimeSpan.FromSeconds(3));

        using var client = new HttpClient { BaseAddress = new Uri(third.Url) };
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        third.Output.ShouldContain(l => l.Contains("trigger 'crash' in database 'home' quarantined", StringComparison.Ordinal) && l.Contains("scripting enable trigger --database home crash", StringComparison.Ordinal));
        var trigger = JsonDocument.Parse(await client.GetStringAsync("/api/v3/query_sql?db=home&format=json&q=" + Uri.EscapeDataString("select disabled from system.processing_engine_triggers where trigger_name = 'crash'"))).RootElement;
        trigger[0].GetProperty("disabled").GetBoolean().ShouldBeTrue();
        var rows = JsonDocument.Parse(await client.GetStringAsync("/api/v3/query_sql?db=home&format=json&q=" + Uri.EscapeDataString("select v from m order by time"))).RootElement;
        rows.EnumerateArray().Select(r => r.GetProperty("v").GetInt64()).ToList().ShouldBe(acknowledged);
    }
}

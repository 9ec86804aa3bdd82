using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>Plugins' writes keep point identity: queued and sync writes, dry runs, and a filter writing into its input rows.</summary>
public sealed class PluginPointIdentityTests : IAsyncLifetime
{
    private const string RequestSignature = EngineServer.CSharpRequestSignature;
    private EngineServer _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineServer.StartAsync(runTimeout: TimeSpan.FromSeconds(10));
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "home" });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task CSharp_SyncAndQueuedRewrites_LeaveOneMergedPoint()
    {
        _engine.Plugin("rewrite.csx", RequestSignature + """
            {
                influxdb3_local.write_sync(new LineBuilder("p").tag("host", "a").float64_field("x", 1).float64_field("y", 1).time_ns(1000), false);
                influxdb3_local.write_sync(new LineBuilder("p").tag("host", "a").float64_field("x", 2).time_ns(1000), false);
                var seen = influxdb3_local.query("select count(*) as n, max(x) as x, max(y) as y from p");
                influxdb3_local.write(new LineBuilder("p").tag("host", "a").float64_field("y", 3).time_ns(1000));
                return $"{seen[0]["n"]} {seen[0]["x"]} {seen[0]["y"]}";
            }
            """);
        await _engine.CreateTriggerAsync("home", "rewrite", "rewrite.csx", "request:rewrite");

        (await _engine.Http.GetStringAsync("/api/v3/engine/rewrite")).ShouldBe("1 2 1");
        var rows = await _engine.PollAsync("home", "select x, y from p", r => r.GetArrayLength() == 1 && r[0].GetProperty("y").GetDouble() == 3);
        rows.GetRawText().ShouldBe("""[{"x":2.0,"y":3.0}]""");
    }

    [Fact]
    [Trait("Category", "Python")]
    public async Task Python_SyncAndQueuedRewrites_LeaveOneMergedPoint()
    {
        _engine.Plugin("rewrite.py", """
            def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
                influxdb3_local.write_sync(LineBuilder("q").tag("host", "a").float64_field("x", 1.0).float64_field("y", 1.0).time_ns(1000), False)
                influxdb3_local.write_sync(LineBuilder("q").tag("host", "a").float64_field("x", 2.0).time_ns(1000), False)
                seen = influxdb3_local.query("select count(*) as n, max(x) as x, max(y) as y from q")
                influxdb3_local.write(LineBuilder("q").tag("host", "a").float64_field("y", 3.0).time_ns(1000))
                return f"{seen[0]['n']} {seen[0]['x']} {seen[0]['y']}"
            """);
        await _engine.CreateTriggerAsync("home", "rewrite_py", "rewrite.py", "request:rewrite_py");

        (await _engine.Http.GetStringAsync("/api/v3/engine/rewrite_py")).ShouldBe("1 2.0 1.0");
        var rows = await _engine.PollAsync("home", "select x, y from q", r => r.GetArrayLength() == 1 && r[0].GetProperty("y").GetDouble() == 3);
        rows.GetRawText().ShouldBe("""[{"x":2.0,"y":3.0}]""");
    }

    [Fact]
    public async Task AWriteTriggerWritingIntoItsInputRows_JoinsThem()
    {
        // As a signal filter storing its output beside the input: same table, tags and time, a new field.
        _engine.Plugin("filter.csx", """
            void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
            {
                foreach (var batch in table_batches)
                    foreach (var row in batch.rows)
                        if (row.ContainsKey("temp"))
                            influxdb3_local.write(new LineBuilder("home").tag("room", (string)row["room"]!).float64_field("smoothed", (double)row["temp"]! / 2).time_ns((long)row["time"]!));
            }
            """);
        await _engine.CreateTriggerAsync("home", "filter", "filter.csx", "table:home");

        await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("home,room=Kitchen temp=21 1700000000000000000\nhome,room=Hall temp=19 1700000000000000000"));

        var rows = await _engine.PollAsync("home", "select room, temp, smoothed from home order by room", r => r.GetArrayLength() == 2 && r.EnumerateArray().All(x => x.TryGetProperty("smoothed", out _)));
        rows.GetRawText().ShouldBe("""[{"room":"Hall","temp":19.0,"smoothed":9.5},{"room":"Kitchen","temp":21.0,"smoothed":10.5}]""");
        (await _engine.QueryAsync("home", "select count(*) as n from home")).GetRawText().ShouldBe("""[{"n":2}]""");
    }

    [Fact]
    public async Task DryRun_ReportsOneLinePerPoint()
    {
        _engine.Plugin("twice.csx", """
            void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
            {
                influxdb3_local.write_sync(new LineBuilder("out").tag("k", "v").int64_field("a", 1).time_ns(5), false);
                influxdb3_local.write(new LineBuilder("out").tag("k", "v").int64_field("b", 2).time_ns(5));
                influxdb3_local.write(new LineBuilder("out").tag("k", "v").int64_field("a", 3).time_ns(5));
                influxdb3_local.write(new LineBuilder("out").tag("k", "w").int64_field("a", 4).time_ns(5));
            }
            """);

        var response = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/wal", new { filename = "twice.csx", database = "home", input_lp = "home,room=Hall temp=1 1" });

        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        result.GetProperty("database_writes").GetRawText().ShouldBe("""{"home":["out,k=v a=3i,b=2i 5","out,k=w a=4i 5"]}""");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>C# plugins end to end: triggers on writes, schedules and requests through the HTTP API.</summary>
public sealed class CSharpPluginTests : IAsyncLifetime
{
    private const string RequestSignature = EngineServer.CSharpRequestSignature;
    private EngineServer _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineServer.StartAsync(runTimeout: TimeSpan.FromSeconds(10));
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "sensors" });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task RequestTrigger_ReturnsJsonWithQueryHeadersBodyAndArguments()
    {
        _engine.Plugin("hello.csx", RequestSignature + """
            => new Dictionary<string, object?>
            {
                ["name"] = query_parameters.GetValueOrDefault("name"),
                ["agent"] = request_headers.GetValueOrDefault("x-agent"),
                ["auth"] = request_headers.ContainsKey("authorization"),
                ["body"] = System.Text.Encoding.UTF8.GetString(request_body),
                ["greeting"] = args?["greeting"],
            };
            """);
        (await _engine.CreateTriggerAsync("sensors", "hello", "hello.csx", "request:hello", new { greeting = "hi" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v3/engine/hello?name=ann") { Content = new StringContent("{\"a\":1}") };
        request.Headers.Add("X-Agent", "test");
        request.Headers.Add("Authorization", "Bearer secret");
        var response = await _engine.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"name\":\"ann\",\"agent\":\"test\",\"auth\":false,\"body\":\"{\\\"a\\\":1}\",\"greeting\":\"hi\"}");
    }

    [Fact]
    public async Task RequestTrigger_TupleWithStatusAndHeaders_AndStringAsHtml()
    {
        _engine.Plugin("tuple.csx", RequestSignature + " => (\"created\", 201, new Dictionary<string, string> { [\"X-Plugin\"] = \"yes\" });");
        _engine.Plugin("html.csx", RequestSignature + " => \"<b>hi</b>\";");
        await _engine.CreateTriggerAsync("sensors", "tuple", "tuple.csx", "request:tuple");
        await _engine.CreateTriggerAsync("sensors", "html", "html.csx", "request:html");

        var tuple = await _engine.Http.GetAsync("/api/v3/engine/tuple");
        var html = await _engine.Http.GetAsync("/api/v3/engine/html");

        tuple.StatusCode.ShouldBe(HttpStatusCode.Created);
        tuple.Headers.GetValues("X-Plugin").ShouldBe(["yes"]);
        html.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await html.Content.ReadAsStringAsync()).ShouldBe("<b>hi</b>");
    }

    [Fact]
    public async Task RequestTrigger_PluginThrows_500WithMessageAndLogged()
    {
        _engine.Plugin("boom.csx", RequestSignature + " => throw new InvalidOperationException(\"no luck\");");
        await _engine.CreateTriggerAsync("sensors", "boom", "boom.csx", "request:boom");

        var response = await _engine.Http.GetAsync("/api/v3/engine/boom");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"error\":\"InvalidOperationException: no luck\"}");
        var logs = await _engine.QueryAsync("sensors", "select log_level, log_text from system.processing_engine_logs where trigger_name = 'boom' and log_level = 'ERROR'");
        logs[0].GetProperty("log_text").GetString().ShouldBe("error running request plugin: InvalidOperationException: no luck");
    }

    [Fact]
    public async Task RequestTrigger_UnknownPath_404Json()
    {
        var response = await _engine.Http.GetAsync("/api/v3/engine/nobody/here");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!.ShouldContain("nobody/here");
    }

    [Fact]
    public async Task TableTrigger_DerivesRowsIntoAnotherTable()
    {
        _engine.Plugin("derive.csx", """
            void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
            {
                foreach (var batch in table_batches)
                {
                    foreach (var row in batch.Rows)
                    {
                        var fahrenheit = (double)row["temp"]! * 9 / 5 + 32;
                        influxdb3_local.Write(new LineBuilder("home_f").Tag("room", row["room"]).Float64Field("temp_f", fahrenheit).TimeNs((long)row["time"]!));
                    }
                }
            }
            """);
        (await _engine.CreateTriggerAsync("sensors", "derive", "derive.csx", "table:home")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _engine.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent("home,room=Kitchen temp=20.0 1742198400\nother f=1 1742198400"));
        var derived = await _engine.PollAsync("sensors", "select * from home_f", rows => rows.GetArrayLength() == 1);

        derived.GetRawText().ShouldBe("[{\"room\":\"Kitchen\",\"temp_f\":68.0,\"time\":\"2025-03-17T08:00:00\"}]");
    }

    [Fact]
    public async Task EveryTrigger_WritesHeartbeats()
    {
        _engine.Plugin("heartbeat.csx", """
            void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
            {
                var ns = (call_time - DateTime.UnixEpoch).Ticks * 100;
                influxdb3_local.Write(new LineBuilder("heartbeat").Tag("source", args?["source"] ?? "none").Int64Field("beat", 1).TimeNs(ns));
            }
            """);
        (await _engine.CreateTriggerAsync("sensors", "heartbeat", "heartbeat.csx", "every:1s", new { source = "test" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var beats = await _engine.PollAsync("sensors", "select source, time from heartbeat order by time", rows => rows.GetArrayLength() >= 2);

        beats.GetArrayLength().ShouldBeGreaterThanOrEqualTo(2);
        beats[0].GetProperty("source").GetString().ShouldBe("test");
        beats[0].GetProperty("time").GetString()!.Length.ShouldBe(19, "fire times are whole seconds");
    }

    [Fact]
    public async Task CreateTrigger_SeedJsonForms_AreAccepted()
    {
        _engine.Plugin("sched.csx", "void process_scheduled_call(IInfluxDb3Local l, DateTime t, IReadOnlyDictionary<string, string>? a) { }");

        (await _engine.CreateTriggerAsync("sensors", "s1", "sched.csx", JsonDocument.Parse("""{"every":{"duration":{"secs":10,"nanos":0}}}""").RootElement)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.CreateTriggerAsync("sensors", "s3", "sched.csx", JsonDocument.Parse("""{"schedule":["0 0 * * *"]}""").RootElement)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var triggers = await _engine.QueryAsync("sensors", "select trigger_name, trigger_specification from system.processing_engine_triggers where trigger_name in ('s1', 's3') order by trigger_name");

        triggers.GetRawText().ShouldBe("""[{"trigger_name":"s1","trigger_specification":"{\"every\":{\"duration\":{\"secs\":10,\"nanos\":0}}}"},{"trigger_name":"s3","trigger_specification":"{\"schedule\":{\"schedule\":\"0 0 * * *\"}}"}]""");
    }

    [Theory]
    [InlineData("missing.csx", "every:10s", 400, "Plugin not found")]
    [InlineData("../outside.csx", "every:10s", 400, "Path traversal detected")]
    [InlineData("writes-only.csx", "every:10s", 400, "process_scheduled_call(influxdb3_local, call_time, args=None)")]
    [InlineData("broken.csx", "request:broken", 400, "broken.csx:1:")]
    [InlineData("writes-only.csx", "every:10x", 400, "unknown unit 'x'")]
    public async Task CreateTrigger_BadPluginOrSpec_400SaysWhy(string plugin, string specification, int status, string message)
    {
        _engine.Plugin("writes-only.csx", "void process_writes(IInfluxDb3Local l, IReadOnlyList<TableBatch> b, IReadOnlyDictionary<string, string>? a) { }");
        _engine.Plugin("broken.csx", "object process_request( => 1;");

        var response = await _engine.CreateTriggerAsync("sensors", "bad", plugin, specification);

        ((int)response.StatusCode).ShouldBe(status);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task CreateTrigger_UnknownDatabase404_Duplicate409_MissingField400()
    {
        _engine.Plugin("ok.csx", "void process_scheduled_call(IInfluxDb3Local l, DateTime t, IReadOnlyDictionary<string, string>? a) { }");

        (await _engine.CreateTriggerAsync("nope", "t", "ok.csx", "every:10s")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _engine.CreateTriggerAsync("sensors", "dup", "ok.csx", "every:10s")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.CreateTriggerAsync("sensors", "dup", "ok.csx", "every:10s")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var missing = await _engine.Http.PostAsJsonAsync("/api/v3/configure/processing_engine_trigger", new { db = "sensors", trigger_name = "x", trigger_specification = "every:1s" });
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("plugin_filename");
    }

    [Fact]
    public async Task CreateTrigger_RequestPathAlreadyServed_409NamesTheOwner()
    {
        _engine.Plugin("p1.csx", RequestSignature + " => \"one\";");
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "other" });
        (await _engine.CreateTriggerAsync("sensors", "first", "p1.csx", "request:shared/path")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var second = await _engine.CreateTriggerAsync("other", "second", "p1.csx", "request:shared/path");

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.Content.ReadAsStringAsync()).ShouldContain("request path 'shared/path' is already served by trigger 'first' in database 'sensors'");
        (await _engine.Http.GetStringAsync("/api/v3/engine/shared/path")).ShouldBe("one");
    }

    [Fact]
    public async Task DeleteTrigger_RefusedWhileEnabled_ThenDisableDeleteWorks()
    {
        _engine.Plugin("r.csx", RequestSignature + " => \"ok\";");
        await _engine.CreateTriggerAsync("sensors", "deleteme", "r.csx", "request:deleteme");

        var refused = await _engine.Http.DeleteAsync("/api/v3/configure/processing_engine_trigger?db=sensors&trigger_name=deleteme");
        (await _engine.Http.PostAsync("/api/v3/configure/processing_engine_trigger/disable?db=sensors&trigger_name=deleteme", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var whileDisabled = await _engine.Http.GetAsync("/api/v3/engine/deleteme");
        var deleted = await _engine.Http.DeleteAsync("/api/v3/configure/processing_engine_trigger?db=sensors&trigger_name=deleteme");

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Cannot delete running plugin deleteme. Disable it first or use --force.");
        whileDisabled.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HotReload_EditChangesNextRun_BrokenEditKeepsLastGoodVersion()
    {
        _engine.Plugin("live.csx", RequestSignature + " => \"v1\";");
        await _engine.CreateTriggerAsync("sensors", "live", "live.csx", "request:live");
        (await _engine.Http.GetStringAsync("/api/v3/engine/live")).ShouldBe("v1");

        _engine.Plugin("live.csx", RequestSignature + " => \"v2 longer\";");
        (await _engine.Http.GetStringAsync("/api/v3/engine/live")).ShouldBe("v2 longer");

        _engine.Plugin("live.csx", RequestSignature + " => \"v3\" +;");
        (await _engine.Http.GetStringAsync("/api/v3/engine/live")).ShouldBe("v2 longer");
        var logs = await _engine.QueryAsync("sensors", "select log_text from system.processing_engine_logs where log_level = 'ERROR' and log_text like 'error loading plugin live.csx%'");
        logs[0].GetProperty("log_text").GetString()!.ShouldContain("live.csx:1:");
    }

    [Fact]
    public async Task RunDeadline_InfiniteLoop_StoppedAndServerKeepsAnswering()
    {
        _engine.Plugin("spin.csx", RequestSignature + " { long n = 0; while (true) { n++; } }");
        await _engine.CreateTriggerAsync("sensors", "spin", "spin.csx", "request:spin", new { run_timeout = "1s" });

        var response = await _engine.Http.GetAsync("/api/v3/engine/spin");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        // Interrupting the loop itself is the C# runtime tests' subject; here the run must end in a 500 and the server go on.
        (await response.Content.ReadAsStringAsync()).ShouldContain("run exceeded its deadline of 1s");
        (await _engine.Http.GetStringAsync("/health")).ShouldBe("OK");
    }

    [Fact]
    public async Task SystemTables_ListTriggersAndArguments()
    {
        _engine.Plugin("args.csx", "void process_writes(IInfluxDb3Local l, IReadOnlyList<TableBatch> b, IReadOnlyDictionary<string, string>? a) { }");
        await _engine.CreateTriggerAsync("sensors", "with_args", "args.csx", "all_tables", new { threshold = "90", unit = "C" }, new { run_async = true, error_behavior = "retry" }, disabled: true);

        var triggers = await _engine.QueryAsync("sensors", "select * from system.processing_engine_triggers where trigger_name = 'with_args'");
        var arguments = await _engine.QueryAsync("sensors", "select argument_key, argument_value from system.processing_engine_trigger_arguments order by argument_key");

        triggers.GetRawText().ShouldBe("""[{"trigger_name":"with_args","plugin_filename":"args.csx","trigger_specification":"\"all_tables_wal_write\"","disabled":true,"error_behavior":"retry","run_async":true}]""");
        arguments.GetRawText().ShouldBe("""[{"argument_key":"threshold","argument_value":"90"},{"argument_key":"unit","argument_value":"C"}]""");
    }

    [Fact]
    public async Task CronTrigger_SixFields_RunsEverySecond()
    {
        _engine.Plugin("cron.csx", "void process_scheduled_call(IInfluxDb3Local l, DateTime t, IReadOnlyDictionary<string, string>? a) => l.Write(new LineBuilder(\"ticks\").Int64Field(\"n\", 1).TimeNs((t - DateTime.UnixEpoch).Ticks * 100));");
        (await _engine.CreateTriggerAsync("sensors", "cron", "cron.csx", "cron:* * * * * *")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ticks = await _engine.PollAsync("sensors", "select count(*) as n from ticks", rows => rows.GetArrayLength() == 1 && rows[0].GetProperty("n").GetInt64() >= 2);

        ticks[0].GetProperty("n").GetInt64().ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task LocalApi_WriteToDbCreatesDatabase_WriteSyncQueryWithDatabaseAndGlobalCache()
    {
        _engine.Plugin("api.csx", RequestSignature + """
            {
                influxdb3_local.write_to_db("elsewhere", new LineBuilder("queued").int64_field("n", 1));
                influxdb3_local.write_sync(new LineBuilder("synced").int64_field("n", 2), false);
                var synced = influxdb3_local.query("select n from synced where n = $n", new Dictionary<string, string> { ["n"] = "2" });
                var other = influxdb3_local.query("select count(*) as c from synced", database: "sensors");
                influxdb3_local.cache.put("shared", "from api", use_global: true);
                influxdb3_local.cache.put("mine", 42);
                string failure;
                try { influxdb3_local.query("select * from missing_table"); failure = "none"; }
                catch (QueryError error) { failure = error.Message; }
                return new Dictionary<string, object?> { ["synced"] = synced[0]["n"], ["rows"] = other.Count, ["failure"] = failure };
            }
            """);
        _engine.Plugin("reader.csx", RequestSignature + " => new Dictionary<string, object?> { [\"shared\"] = influxdb3_local.cache.get(\"shared\", use_global: true), [\"mine\"] = influxdb3_local.cache.get(\"mine\") };");
        await _engine.CreateTriggerAsync("sensors", "api", "api.csx", "request:api");
        await _engine.CreateTriggerAsync("sensors", "reader", "reader.csx", "request:reader");

        var response = await _engine.Http.GetAsync("/api/v3/engine/api");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var result = JsonDocument.Parse(text).RootElement;
        var reader = await _engine.Http.GetStringAsync("/api/v3/engine/reader");

        result.GetProperty("synced").GetInt64().ShouldBe(2);
        result.GetProperty("failure").GetString()!.ShouldStartWith("error: Error during planning: table 'public.iox.missing_table' not found");
        result.GetProperty("failure").GetString()!.ShouldEndWith("executing query on sensors: select * from missing_table");
        reader.ShouldBe("{\"shared\":\"from api\",\"mine\":null}");
        (await _engine.PollAsync("elsewhere", "select n from queued", rows => rows.GetArrayLength() == 1)).GetRawText().ShouldBe("[{\"n\":1}]");
    }
}

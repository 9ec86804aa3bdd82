using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>Python plugins end to end through the HTTP API, on the same triggers, engine and facade as C#.</summary>
[Trait("Category", "Python")]
public sealed class PythonPluginTests : IAsyncLifetime
{
    private EngineServer _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineServer.StartAsync(runTimeout: TimeSpan.FromSeconds(2));
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "home" });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task WritesTrigger_SeesRowsAndWritesBack()
    {
        _engine.Plugin("copy.py", """
            def process_writes(influxdb3_local, table_batches, args=None):
                for batch in table_batches:
                    if batch["table_name"] != "home":
                        continue
                    for row in batch["rows"]:
                        line = LineBuilder("home_copy").tag("room", row["room"]).float64_field("temp", row["temp"] * float(args["factor"])).time_ns(row["time"])
                        influxdb3_local.write(line)
                influxdb3_local.info("copied", sum(len(b["rows"]) for b in table_batches))
            """);
        (await _engine.CreateTriggerAsync("home", "copy", "copy.py", "table:home", new { factor = "2" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("home,room=Kitchen temp=21.5 1700000000000000000\nhome,room=Hall temp=20 1700000000000000000"));

        var rows = await _engine.PollAsync("home", "select room, temp, time from home_copy order by room", r => r.GetArrayLength() == 2);
        rows.GetArrayLength().ShouldBe(2);
        rows[0].GetProperty("room").GetString().ShouldBe("Hall");
        rows[0].GetProperty("temp").GetDouble().ShouldBe(40.0);
        rows[1].GetProperty("temp").GetDouble().ShouldBe(43.0);
    }

    [Fact]
    public async Task RequestTrigger_JsonDictAndQueryThroughTheFacade()
    {
        await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("cpu,host=a usage=0.5 1\ncpu,host=b usage=0.9 2"));
        _engine.Plugin("report.py", """
            import json
            def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
                rows = influxdb3_local.query("SELECT host, usage FROM cpu WHERE host = $host", {"host": query_parameters["host"]})
                return {"rows": rows, "agent": request_headers.get("x-agent"), "auth": "authorization" in request_headers, "body": json.loads(request_body or b"{}")}
            """);
        (await _engine.CreateTriggerAsync("home", "report", "report.py", "request:report")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v3/engine/report?host=b") { Content = new StringContent("{\"n\": 1}") };
        request.Headers.Add("X-Agent", "test");
        request.Headers.Add("Authorization", "Bearer x");
        var response = await _engine.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"rows\": [{\"host\": \"b\", \"usage\": 0.9}], \"agent\": \"test\", \"auth\": false, \"body\": {\"n\": 1}}");
    }

    [Fact]
    public async Task ScheduledTrigger_RunsEverySecond_WithCallTime()
    {
        _engine.Plugin("tick.py", """
            def process_scheduled_call(influxdb3_local, call_time, args=None):
                influxdb3_local.write(LineBuilder("ticks").int64_field("second", call_time.second).string_field("kind", type(call_time).__name__))
            """);
        (await _engine.CreateTriggerAsync("home", "tick", "tick.py", "every:1s")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await _engine.PollAsync("home", "select kind from ticks", r => r.GetArrayLength() >= 2);

        rows.GetArrayLength().ShouldBeGreaterThanOrEqualTo(2);
        rows[0].GetProperty("kind").GetString().ShouldBe("datetime");
    }

    [Fact]
    public async Task RequestPluginRaises_500WithPythonMessage_TracebackLogged()
    {
        _engine.Plugin("boom.py", "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 1 / 0\n");
        await _engine.CreateTriggerAsync("home", "boom", "boom.py", "request:boom");

        var response = await _engine.Http.GetAsync("/api/v3/engine/boom");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"error\":\"Python function call failed: ZeroDivisionError: division by zero\"}");
        var logs = await _engine.QueryAsync("home", "select log_text from system.processing_engine_logs where trigger_name = 'boom' and log_level = 'ERROR'");
        var text = logs[0].GetProperty("log_text").GetString()!;
        text.ShouldStartWith("error running request plugin: Python function call failed: ZeroDivisionError: division by zero");
        text.ShouldContain("boom.py\", line 2, in process_request");
    }

    [Fact]
    public async Task ScheduledPluginThatLoopsForever_IsStoppedAtTheDeadline_AndTheServerGoesOn()
    {
        _engine.Plugin("spin.py", "def process_scheduled_call(influxdb3_local, call_time, args=None):\n    while True:\n        pass\n");
        await _engine.CreateTriggerAsync("home", "spin", "spin.py", "every:1s", new { run_timeout = "1s" });

        // Each run of every:1s gets its interrupt; on a machine busy with other servers' plugins (one
        // interpreter, one GIL, for every server of this test process) a run can miss its 2 s grace and be
        // abandoned instead, so the test looks for a run that stopped, among the first few.
        var logs = await _engine.PollAsync(
            "home",
            "select log_text from system.processing_engine_logs where trigger_name = 'spin' and log_level = 'ERROR'",
            r => r.EnumerateArray().Any(l => l.GetProperty("log_text").GetString()!.EndsWith("and was stopped", StringComparison.Ordinal)));

        logs.EnumerateArray().Select(l => l.GetProperty("log_text").GetString()).ShouldContain("error executing schedule plugin: run exceeded its deadline of 1s and was stopped");
        (await _engine.Http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("alive v=1i 1"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task SysExitInAPlugin_FailsTheRunOnly()
    {
        _engine.Plugin("quit.py", "import sys\ndef process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    sys.exit(2)\n");
        await _engine.CreateTriggerAsync("home", "quit", "quit.py", "request:quit");

        var response = await _engine.Http.GetAsync("/api/v3/engine/quit");

        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"error\":\"Python function call failed: SystemExit: 2\"}");
        (await _engine.Http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SyntaxError_RefusedAtCreate_WithPosition()
    {
        _engine.Plugin("bad.py", "def process_writes(influxdb3_local, table_batches, args=None)\n    pass\n");

        var response = await _engine.CreateTriggerAsync("home", "bad", "bad.py", "all_tables");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        error.ShouldContain("bad.py:1:");
        error.ShouldContain("SyntaxError");
    }

    [Fact]
    public async Task WrongKind_RefusedAtCreate_NamingTheSignature()
    {
        _engine.Plugin("only_writes.py", "def process_writes(influxdb3_local, table_batches, args=None):\n    pass\n");

        var response = await _engine.CreateTriggerAsync("home", "wrong", "only_writes.py", "request:wrong");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None)");
    }

    [Fact]
    public async Task MultiFilePlugin_EditedWhileRunning_NextRequestUsesTheNewCode()
    {
        _engine.Plugin("greeter/__init__.py", "from .words import greeting\n\ndef process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return greeting()\n");
        _engine.Plugin("greeter/words.py", "def greeting():\n    return 'hello'\n");
        (await _engine.CreateTriggerAsync("home", "greeter", "greeter", "request:greet")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.Http.GetStringAsync("/api/v3/engine/greet")).ShouldBe("hello");

        _engine.Plugin("greeter/words.py", "def greeting():\n    return 'bonjour'\n");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string body;
        do
        {
            body = await _engine.Http.GetStringAsync("/api/v3/engine/greet");
        }
        while (body != "bonjour" && DateTime.UtcNow < deadline && await Task.Delay(50).ContinueWith(_ => true));

        body.ShouldBe("bonjour");
    }

    [Fact]
    public async Task CacheAcrossRuns_KeepsPythonObjects()
    {
        _engine.Plugin("count.py", """
            def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
                seen = influxdb3_local.cache.get("seen")
                if seen is None:
                    seen = []
                    influxdb3_local.cache.put("seen", seen)
                seen.append(query_parameters.get("v"))
                return {"seen": seen}
            """);
        await _engine.CreateTriggerAsync("home", "count", "count.py", "request:count");

        await _engine.Http.GetStringAsync("/api/v3/engine/count?v=a");
        var body = await _engine.Http.GetStringAsync("/api/v3/engine/count?v=b");

        body.ShouldBe("{\"seen\": [\"a\", \"b\"]}");
    }

    [Fact]
    public async Task WritesPluginRaises_ErrorBehaviorDisable_LogsTracebackAndDisablesTheTrigger()
    {
        _engine.Plugin("fails.py", "def check(rows):\n    raise ValueError('bad row count %d' % len(rows))\n\ndef process_writes(influxdb3_local, table_batches, args=None):\n    check(table_batches[0]['rows'])\n");
        (await _engine.CreateTriggerAsync("home", "fails", "fails.py", "table:home", settings: new { run_async = false, error_behavior = "disable" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("home,room=Hall temp=20 1"));

        var triggers = await _engine.PollAsync("home", "select disabled from system.processing_engine_triggers where trigger_name = 'fails'", r => r.GetArrayLength() == 1 && r[0].GetProperty("disabled").GetBoolean());
        triggers[0].GetProperty("disabled").GetBoolean().ShouldBeTrue();
        var logs = await _engine.QueryAsync("home", "select log_text from system.processing_engine_logs where trigger_name = 'fails' and log_level = 'ERROR' order by event_time");
        var error = logs[0].GetProperty("log_text").GetString()!;
        error.ShouldStartWith("error executing wal plugin: ValueError: bad row count 1\nTraceback (most recent call last):");
        error.ShouldContain("fails.py\", line 5, in process_writes");
        error.ShouldContain("fails.py\", line 2, in check");
        logs[1].GetProperty("log_text").GetString()!.ShouldContain("disabled after an error (error_behavior=disable)");
    }

    [Fact]
    public async Task SingleFileEdited_NextRequestUsesIt_BrokenEditKeepsTheLastGoodVersion()
    {
        _engine.Plugin("live.py", "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'one'\n");
        await _engine.CreateTriggerAsync("home", "live", "live.py", "request:live");
        (await _engine.Http.GetStringAsync("/api/v3/engine/live")).ShouldBe("one");

        _engine.Plugin("live.py", "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'two'\n");
        (await PollBodyAsync("/api/v3/engine/live", "two")).ShouldBe("two");

        _engine.Plugin("live.py", "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'three'\n  oops\n");
        (await _engine.Http.GetStringAsync("/api/v3/engine/live")).ShouldBe("two");
        var logs = await _engine.PollAsync("home", "select log_text from system.processing_engine_logs where log_text like 'error loading plugin live.py%'", r => r.GetArrayLength() > 0);
        logs[0].GetProperty("log_text").GetString()!.ShouldContain("live.py:3:");
    }

    private async Task<string> PollBodyAsync(string path, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string body;
        do
        {
            body = await _engine.Http.GetStringAsync(path);
            if (body == expected)
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return body;
    }

    [Fact]
    public async Task PluginWritingToItsOwnTable_StopsAfterTheGenerationLimit_AndSaysWhy()
    {
        _engine.Plugin("loop.py", "def process_writes(influxdb3_local, table_batches, args=None):\n    for batch in table_batches:\n        for row in batch['rows']:\n            influxdb3_local.write(LineBuilder('loop').int64_field('n', row['n'] + 1))\n");
        await _engine.CreateTriggerAsync("home", "loop", "loop.py", "table:loop");

        await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("loop n=0i"));

        var warning = await _engine.PollAsync("home", "select log_text from system.processing_engine_logs where trigger_name = 'loop' and log_level = 'WARN'", r => r.GetArrayLength() > 0);
        warning[0].GetProperty("log_text").GetString()!.ShouldContain("feedback loop");
        // The refused generation was the eleventh: the ten before it land, and nothing after.
        var rows = await _engine.PollAsync("home", "select max(n) as top, count(*) as total from loop", r => r.GetArrayLength() > 0 && r[0].GetProperty("total").GetInt64() >= 11);
        rows[0].GetProperty("top").GetInt64().ShouldBe(10);
        rows[0].GetProperty("total").GetInt64().ShouldBe(11);
        (await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("other v=1i"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }
}

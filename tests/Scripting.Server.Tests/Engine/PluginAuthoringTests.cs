using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>Dry runs, plugin files over HTTP and the plugin listing, in both languages.</summary>
[Trait("Category", "Python")]
public sealed class PluginAuthoringTests : IAsyncLifetime
{
    private const string CSharpWrites = """
        void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
        {
            foreach (var batch in table_batches)
                foreach (var row in batch.rows)
                {
                    influxdb3_local.info($"row of {batch.table_name}: {row["room"]} {args?["unit"]}");
                    influxdb3_local.write(new LineBuilder("copy").tag("room", row["room"]).float64_field("temp", (double)row["temp"]!).time_ns((long)row["time"]!));
                    influxdb3_local.write_to_db("elsewhere", new LineBuilder("seen").int64_field("n", 1).time_ns((long)row["time"]!));
                }
        }
        """;

    private const string PythonWrites = """
        def process_writes(influxdb3_local, table_batches, args=None):
            for batch in table_batches:
                for row in batch["rows"]:
                    influxdb3_local.info(f"row of {batch['table_name']}: {row['room']} {args['unit']}")
                    influxdb3_local.write(LineBuilder("copy").tag("room", row["room"]).float64_field("temp", row["temp"]).time_ns(row["time"]))
                    influxdb3_local.write_to_db("elsewhere", LineBuilder("seen").int64_field("n", 1).time_ns(row["time"]))
        """;

    private EngineServer _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineServer.StartAsync(runTimeout: TimeSpan.FromSeconds(5));
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "home" });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Theory]
    [InlineData("writes.csx", CSharpWrites)]
    [InlineData("writes.py", PythonWrites)]
    public async Task WalDryRun_ReturnsLogsAndWritesPerDatabase_AndWritesNothing(string file, string code)
    {
        _engine.Plugin(file, code);

        var response = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/wal", new
        {
            filename = file,
            database = "home",
            input_lp = "home,room=Kitchen temp=21.5 1700000000000000000",
            input_arguments = new { unit = "C" },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var logs = result.GetProperty("log_lines").EnumerateArray().Select(l => l.GetString()).ToList();
        logs[0].ShouldBe("INFO: starting execution of wal plugin.");
        logs[1].ShouldBe("INFO: row of home: Kitchen C");
        logs[2].ShouldStartWith("INFO: finished execution in ");
        result.GetProperty("database_writes").GetRawText().ShouldBe("""{"home":["copy,room=Kitchen temp=21.5 1700000000000000000"],"elsewhere":["seen n=1i 1700000000000000000"]}""");
        result.GetProperty("errors").GetArrayLength().ShouldBe(0);
        result.TryGetProperty("trigger_time", out _).ShouldBeFalse();
        (await _engine.Http.GetStringAsync("/api/v3/configure/database?format=json")).ShouldNotContain("elsewhere");
        (await _engine.Http.GetAsync("/api/v3/query_sql?db=home&q=select%20*%20from%20copy")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ScheduleDryRun_CallsAtTheNextFireTime_AndAMissingDatabaseIsAnError()
    {
        _engine.Plugin("tick.py", "def process_scheduled_call(influxdb3_local, call_time, args=None):\n    influxdb3_local.info('called for', call_time.isoformat())\n");

        var response = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/schedule", new { filename = "tick.py", database = "home", schedule = "0 0 * * * *" });
        var missing = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/schedule", new { filename = "tick.py", database = "nope" });

        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var triggerTime = DateTimeOffset.Parse(result.GetProperty("trigger_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        (triggerTime.Minute, triggerTime.Second).ShouldBe((0, 0));
        triggerTime.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        result.GetProperty("log_lines")[0].GetString().ShouldBe($"INFO: starting execution with scheduled time {triggerTime.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        result.GetProperty("log_lines")[1].GetString().ShouldStartWith("INFO: called for ");
        JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetString().ShouldBe("couldn't find db");
    }

    [Fact]
    public async Task DryRun_PluginRaises_200WithTheErrorAndTraceback_AndBadOutputIsReported()
    {
        _engine.Plugin("raises.py", "def process_writes(influxdb3_local, table_batches, args=None):\n    influxdb3_local.write(LineBuilder('home').string_field('temp', 'hot'))\n    raise ValueError('nope')\n");
        _engine.Plugin("conflict.py", "def process_writes(influxdb3_local, table_batches, args=None):\n    influxdb3_local.write(LineBuilder('home').string_field('temp', 'hot'))\n");
        await _engine.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("home,room=Hall temp=20.5 1"));

        var raised = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/wal", new { filename = "raises.py", database = "home", input_lp = "home,room=Hall temp=1.5 2" });
        var conflict = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/wal", new { filename = "conflict.py", database = "home", input_lp = "home,room=Hall temp=1.5 2" });
        var badInput = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/wal", new { filename = "conflict.py", database = "home", input_lp = "home,room=Hall temp=" });

        raised.StatusCode.ShouldBe(HttpStatusCode.OK);
        var raisedResult = JsonDocument.Parse(await raised.Content.ReadAsStringAsync()).RootElement;
        raisedResult.GetProperty("errors")[0].GetString()!.ShouldStartWith("error executing plugin: ValueError: nope\nTraceback");
        raisedResult.GetProperty("database_writes").GetRawText().ShouldBe("{}");
        JsonDocument.Parse(await conflict.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetString()!.ShouldStartWith("Failed to validate output lines to db home:");
        JsonDocument.Parse(await badInput.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetString()!.ShouldStartWith("line protocol parse failed: line 1:");
    }

    [Fact]
    public async Task UploadFile_CreateTriggerOnIt_ReplaceItThroughTheTrigger_NextRunUsesIt()
    {
        var created = await _engine.Http.PostAsJsonAsync("/api/v3/plugins/files", new { plugin_name = "uploads/hello.py", content = "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'v1'\n" });
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.CreateTriggerAsync("home", "hello", "uploads/hello.py", "request:hello")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.Http.GetStringAsync("/api/v3/engine/hello")).ShouldBe("v1");

        var replaced = await _engine.Http.PutAsJsonAsync("/api/v3/plugins/files", new { plugin_name = "hello", content = "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'v2'\n" });

        replaced.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.Http.GetStringAsync("/api/v3/engine/hello")).ShouldBe("v2");
        Directory.GetFiles(Path.Combine(_engine.PluginDirectory, "uploads"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).ShouldBe(["hello.py"]);
    }

    [Theory]
    [InlineData("../outside.py")]
    [InlineData("/etc/x.py")]
    [InlineData("a/../../outside.py")]
    public async Task UploadFile_OutsideThePluginDirectory_IsRefused(string name)
    {
        var response = await _engine.Http.PostAsJsonAsync("/api/v3/plugins/files", new { plugin_name = name, content = "x = 1\n" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Path traversal detected");
        File.Exists(Path.GetFullPath(Path.Combine(_engine.PluginDirectory, "..", "outside.py"))).ShouldBeFalse();
        File.Exists("/etc/x.py").ShouldBeFalse();
    }

    [Fact]
    public async Task UploadFile_ThroughALinkThatLeadsOutside_IsRefused()
    {
        var outside = TempDirectory.NewPath("outside");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(_engine.PluginDirectory, "escape"), outside);
        try
        {
            var response = await _engine.Http.PostAsJsonAsync("/api/v3/plugins/files", new { plugin_name = "escape/evil.py", content = "x = 1\n" });

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).ShouldContain("Path traversal detected");
            Directory.GetFiles(outside).ShouldBeEmpty();
            File.WriteAllText(Path.Combine(outside, "elsewhere.py"), "def process_writes(influxdb3_local, table_batches, args=None):\n    pass\n");
            (await _engine.Http.GetStringAsync("/api/v3/plugins")).ShouldNotContain("elsewhere.py");
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task ReplaceDirectory_SwapsTheWholePlugin_AndRefusesTraversalInside()
    {
        _engine.Plugin("multi/__init__.py", "from .words import word\ndef process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return word()\n");
        _engine.Plugin("multi/words.py", "def word():\n    return 'old'\n");
        _engine.Plugin("multi/stale.py", "x = 1\n");
        await _engine.CreateTriggerAsync("home", "multi", "multi", "request:multi");
        (await _engine.Http.GetStringAsync("/api/v3/engine/multi")).ShouldBe("old");

        var replaced = await _engine.Http.PutAsJsonAsync("/api/v3/plugins/directory", new
        {
            plugin_name = "multi",
            files = new[]
            {
                new { relative_path = "__init__.py", content = "from .lib.words import word\ndef process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return word()\n" },
                new { relative_path = "lib/__init__.py", content = "" },
                new { relative_path = "lib/words.py", content = "def word():\n    return 'new'\n" },
            },
        });
        var escaping = await _engine.Http.PutAsJsonAsync("/api/v3/plugins/directory", new { plugin_name = "multi", files = new[] { new { relative_path = "../evil.py", content = "x" } } });

        replaced.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _engine.Http.GetStringAsync("/api/v3/engine/multi")).ShouldBe("new");
        File.Exists(Path.Combine(_engine.PluginDirectory, "multi", "stale.py")).ShouldBeFalse();
        escaping.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        File.Exists(Path.Combine(_engine.PluginDirectory, "evil.py")).ShouldBeFalse();
        Directory.GetDirectories(_engine.PluginDirectory).Select(Path.GetFileName).ShouldNotContain(d => d!.StartsWith('.') && d.Contains("multi"));
    }

    [Fact]
    public async Task Listing_ShowsLanguageEntryPointsTriggersAndLoadErrorsWithPosition()
    {
        _engine.Plugin("ok.py", "def process_writes(influxdb3_local, table_batches, args=None):\n    pass\n\ndef process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'x'\n");
        _engine.Plugin("broken.csx", "void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)\n{\n    int x = \"text\";\n}\n");
        _engine.Plugin("pkg/__init__.py", "def process_scheduled_call(influxdb3_local, call_time, args=None):\n    pass\n");
        _engine.Plugin("pkg/helper.py", "x = 1\n");
        await _engine.CreateTriggerAsync("home", "uses_ok", "ok.py", "all_tables");

        var listing = JsonDocument.Parse(await _engine.Http.GetStringAsync("/api/v3/plugins")).RootElement.GetProperty("plugins").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!);

        listing.Keys.Order().ShouldBe(["broken.csx", "ok.py", "pkg"]);
        listing["ok.py"].GetProperty("language").GetString().ShouldBe("python");
        listing["ok.py"].GetProperty("entry_points").EnumerateArray().Select(e => e.GetString()).ShouldBe(["process_writes", "process_request"]);
        listing["ok.py"].GetProperty("triggers")[0].GetProperty("trigger_name").GetString().ShouldBe("uses_ok");
        listing["ok.py"].GetProperty("state").GetString().ShouldBe("loaded");
        listing["broken.csx"].GetProperty("language").GetString().ShouldBe("csharp");
        listing["broken.csx"].GetProperty("state").GetString().ShouldBe("error");
        listing["broken.csx"].GetProperty("error").GetString()!.ShouldContain("broken.csx:3:");
        listing["pkg"].GetProperty("entry_points")[0].GetString().ShouldBe("process_scheduled_call");
    }

    [Fact]
    public async Task Listing_AsParquet_IsRefused_AsTheDatabaseListIs()
    {
        var plugins = await _engine.Http.GetAsync("/api/v3/plugins?format=parquet");
        var databases = await _engine.Http.GetAsync("/api/v3/configure/database?format=parquet");

        plugins.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await plugins.Content.ReadAsStringAsync()).ShouldContain("format 'parquet' is not available for the plugin list");
        databases.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
    }
}

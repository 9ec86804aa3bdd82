using System.Text.Json;
using Scripting.Core.Plugins;

namespace Scripting.Python.Tests;

/// <summary>influxdb3_local in Python is a proxy onto the C# implementation (reference section 3).</summary>
[Trait("Category", "Python")]
public sealed class LocalProxyTests
{
    private static RecordingLocal Run(string body, RecordingLocal? local = null)
    {
        local ??= new RecordingLocal();
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n" + string.Join('\n', body.Split('\n').Select(l => "    " + l)) + "\n");
        code.ProcessWrites(local, [], null, CancellationToken.None);
        return local;
    }

    [Fact]
    public void Logging_JoinsStrOfEachArgumentWithSpaces()
    {
        var local = Run("influxdb3_local.info('i', [1], 'x')\ninfluxdb3_local.warn('w', None)\ninfluxdb3_local.error({'k': 2})");

        local.Logs.ShouldBe(["INFO: i [1] x", "WARN: w None", "ERROR: {'k': 2}"]);
    }

    [Fact]
    public void Writes_AreBuiltByTheCSharpLineBuilder_QueuedOrSync()
    {
        var local = Run("""
            line = LineBuilder('m').tag('host', 'a b').float64_field('v', 2.0).time_ns(5)
            influxdb3_local.write(line)
            influxdb3_local.write_to_db('other', LineBuilder('n').int64_field('c', 1))
            influxdb3_local.write_sync(LineBuilder('s').bool_field('ok', True), False)
            influxdb3_local.write_sync_to_db('other', LineBuilder('s').uint64_field('u', 18446744073709551615), True)
            """);

        local.Lines.ShouldBe(
        [
            (null, "m,host=a\\ b v=2.0 5", false),
            ("other", "n c=1i", false),
            (null, "s ok=t", true),
            ("other", "s u=18446744073709551615u", true),
        ]);
    }

    [Fact]
    public void Write_TakesAnyObjectWithBuild_AndAStringFailsAsUpstream()
    {
        var local = Run("""
            class Mine:
                def build(self):
                    return 'custom v=1i'
            influxdb3_local.write(Mine())
            try:
                influxdb3_local.write('plain v=1')
            except AttributeError as e:
                influxdb3_local.info(str(e))
            """);

        local.Lines.Single().Line.ShouldBe("custom v=1i");
        local.Logs.ShouldBe(["INFO: 'str' object has no attribute 'build'"]);
    }

    [Fact]
    public void WriteSyncRejected_RaisesInPython()
    {
        var local = Run("""
            try:
                influxdb3_local.write_sync(LineBuilder('reject').int64_field('v', 1), False)
            except Exception as e:
                influxdb3_local.info(type(e).__name__, str(e))
            """);

        local.Logs.ShouldBe(["INFO: InfluxDBError error writing line protocol to db: Cannot write: line protocol parse failed"]);
    }

    [Fact]
    public void Query_ReturnsRowsWithPythonTypes_AndPassesParametersAndDatabase()
    {
        var local = new RecordingLocal
        {
            QueryResult = _ => [new Dictionary<string, object?> { ["host"] = "s2", ["usage"] = 0.89, ["count"] = 3L, ["up"] = true, ["note"] = null, ["time"] = 1_700_000_000_000_000_000L }],
        };

        Run("""
            rows = influxdb3_local.query("SELECT * FROM cpu WHERE host = $host", {"host": "s2"}, database="metrics")
            influxdb3_local.info(repr(rows), [type(v).__name__ for v in rows[0].values()])
            """, local);

        local.Logs.Single().ShouldBe("INFO: [{'host': 's2', 'usage': 0.89, 'count': 3, 'up': True, 'note': None, 'time': 1700000000000000000}] ['str', 'float', 'int', 'bool', 'NoneType', 'int']");
        local.Queries.Single().Args!["host"].ShouldBe("s2");
        local.Queries.Single().Database.ShouldBe("metrics");
    }

    [Fact]
    public void QueryFailure_RaisesQueryError_AndNonStringParametersRaiseTypeError()
    {
        var local = Run("""
            try:
                influxdb3_local.query("SELECT * FROM broken")
            except Exception as e:
                influxdb3_local.info(type(e).__name__, str(e))
            try:
                influxdb3_local.query("SELECT $n", {"n": 1})
            except TypeError as e:
                influxdb3_local.info("TypeError", str(e))
            """);

        local.Logs.ShouldBe(
        [
            "INFO: QueryError error: table 'broken' not found executing query on db: SELECT * FROM broken",
            "INFO: TypeError query parameter 'n' must be a str, got int",
        ]);
    }

    [Fact]
    public void Cache_KeepsPythonObjectsByReference_WithDefaultsAndScopes()
    {
        var local = new RecordingLocal();
        Run("""
            state = {'n': 1}
            influxdb3_local.cache.put('state', state)
            state['n'] = 2
            influxdb3_local.cache.put('g', [1, 2], use_global=True)
            """, local);
        Run("""
            got = influxdb3_local.cache.get('state')
            influxdb3_local.info(got, influxdb3_local.cache.get('g', use_global=True), influxdb3_local.cache.get('g'), influxdb3_local.cache.get('nope', default='d'))
            influxdb3_local.info(influxdb3_local.cache.delete('state'), influxdb3_local.cache.delete('state'), influxdb3_local.cache.get('state'))
            try:
                influxdb3_local.cache.put('x', 1, ttl=-1)
            except ValueError as e:
                influxdb3_local.info('ValueError')
            """, local);

        local.Logs.ShouldBe(["INFO: {'n': 2} [1, 2] None d", "INFO: True False None", "INFO: ValueError"]);
    }

    [Fact]
    public void LocalKeptPastItsRun_FailsClearly()
    {
        var local = Run("influxdb3_local.cache.put('me', influxdb3_local, use_global=True)");

        Run("""
            old = influxdb3_local.cache.get('me', use_global=True)
            try:
                old.info('late')
            except RuntimeError as e:
                influxdb3_local.info(str(e))
            """, local);

        local.Logs.ShouldBe(["INFO: this influxdb3_local is no longer valid: the run that created it has ended"]);
    }

    [Fact]
    public void LineBuilderAndErrors_MatchTheSharedCases()
    {
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cases", "line-builder.json")));
        var script = new System.Text.StringBuilder("import json\nresults = []\n");
        foreach (var testCase in cases.RootElement.GetProperty("cases").EnumerateArray())
        {
            script.Append("try:\n    b = LineBuilder(").Append(JsonSerializer.Serialize(testCase.GetProperty("measurement").GetString())).Append(")\n");
            foreach (var op in testCase.GetProperty("ops").EnumerateArray())
            {
                var items = op.EnumerateArray().ToList();
                var arguments = items.Skip(1).Select(PythonLiteral);
                script.Append("    b.").Append(items[0].GetString()).Append('(').Append(string.Join(", ", arguments)).Append(")\n");
            }

            script.Append("    results.append(['ok', b.build()])\nexcept Exception as e:\n    results.append([type(e).__name__, str(e)])\n");
        }

        script.Append("influxdb3_local.info(json.dumps(results))");
        var local = Run(script.ToString());

        var results = JsonDocument.Parse(local.Logs.Single()["INFO: ".Length..]).RootElement.EnumerateArray().ToList();
        var index = 0;
        foreach (var testCase in cases.RootElement.GetProperty("cases").EnumerateArray())
        {
            var result = results[index++];
            var name = testCase.GetProperty("name").GetString();
            if (testCase.TryGetProperty("expected", out var expected))
            {
                (result[0].GetString(), result[1].GetString()).ShouldBe(("ok", expected.GetString()), name);
            }
            else
            {
                var error = testCase.GetProperty("error");
                (result[0].GetString(), result[1].GetString()).ShouldBe((error.GetProperty("type").GetString(), error.GetProperty("message").GetString()), name);
            }
        }

        index.ShouldBeGreaterThan(20);
    }

    private static string PythonLiteral(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.String => JsonSerializer.Serialize(value.GetString()),
        _ => value.GetRawText().Contains('.') || value.GetRawText().Contains('e') ? "float(" + value.GetRawText() + ")" : value.GetRawText(),
    };
}

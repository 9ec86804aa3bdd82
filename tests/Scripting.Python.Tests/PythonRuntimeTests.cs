using System.Text.Json;
using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.Python.Tests;

/// <summary>Entry points called as reference section 2 says, through the real interpreter.</summary>
[Trait("Category", "Python")]
public sealed class PythonRuntimeTests
{
    private static readonly Dictionary<string, string> Args = new() { ["threshold"] = "5" };

    [Fact]
    public void Load_ReadsWhichEntryPointsTheFileDefines()
    {
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    pass\n\ndef process_request(a, b, c, d, args=None):\n    return 'x'\n");

        code.EntryPoints.ShouldBe(EntryPoints.ProcessWrites | EntryPoints.ProcessRequest);
    }

    [Fact]
    public void Load_SyntaxError_GivesFileLineAndColumn()
    {
        var error = Should.Throw<PluginLoadException>(() => PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    x = (1,\n", "broken.py"));

        error.Message.ShouldStartWith("broken.py:2:");
        error.Message.ShouldContain("SyntaxError: ");
    }

    [Fact]
    public void ProcessWrites_GetsBatchesAsListsOfDictsWithPythonTypes()
    {
        var code = PythonFixture.Load("""
            def process_writes(influxdb3_local, table_batches, args=None):
                for batch in table_batches:
                    for row in batch["rows"]:
                        influxdb3_local.info(batch["table_name"], repr(row), sorted(args.items()))
            """);
        var local = new RecordingLocal();
        IReadOnlyDictionary<string, object?> row = new Dictionary<string, object?> { ["tag1"] = "tag1_value", ["field1"] = 1L, ["f"] = 1.5, ["ok"] = true, ["s"] = "x", ["time"] = 500L };

        code.ProcessWrites(local, [new TableBatch("test_input", [row])], Args, CancellationToken.None);

        local.Logs.ShouldBe(["INFO: test_input {'tag1': 'tag1_value', 'field1': 1, 'f': 1.5, 'ok': True, 's': 'x', 'time': 500} [('threshold', '5')]"]);
    }

    [Fact]
    public void ArgsAbsent_ArePassedAsNone()
    {
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    influxdb3_local.info(args is None, table_batches == [])\n");
        var local = new RecordingLocal();

        code.ProcessWrites(local, [], null, CancellationToken.None);

        local.Logs.ShouldBe(["INFO: True True"]);
    }

    [Fact]
    public void ScheduledCall_GetsANaiveDatetimeOfTheScheduledInstant()
    {
        var code = PythonFixture.Load("def process_scheduled_call(influxdb3_local, call_time, args=None):\n    influxdb3_local.info(type(call_time).__name__, call_time.tzinfo, int(call_time.timestamp()))\n");
        var local = new RecordingLocal();
        var instant = new DateTime(2025, 3, 17, 8, 0, 0, DateTimeKind.Utc);

        code.ProcessScheduledCall(local, instant, null, CancellationToken.None);

        local.Logs.ShouldBe([$"INFO: datetime None {new DateTimeOffset(instant).ToUnixTimeSeconds()}"]);
    }

    [Fact]
    public void Request_GetsDictsAndBytes_AndAStringIsHtml()
    {
        var code = PythonFixture.Load("""
            import json
            def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
                data = json.loads(request_body)
                return "%s %s %s %s" % (type(request_body).__name__, query_parameters["q"], request_headers["x-h"], data["n"])
            """);

        var response = (PluginResponse)code.ProcessRequest(new RecordingLocal(), PythonFixture.Request("{\"n\": 3}", new Dictionary<string, string> { ["q"] = "a b" }, new Dictionary<string, string> { ["x-h"] = "v" }), null, CancellationToken.None)!;

        response.Body.ShouldBe("bytes a b v 3");
        response.Status.ShouldBe(200);
        response.Headers!["Content-Type"].ShouldBe("text/html");
    }

    [Theory]
    [InlineData("{'a': 1, 'b': [1, 2]}", "{\"a\": 1, \"b\": [1, 2]}", 200, "application/json")]
    [InlineData("('made', 201)", "made", 201, "text/html")]
    [InlineData("({'ok': True}, 202, {'X-Extra': 'y'})", "{\"ok\": true}", 202, "application/json")]
    [InlineData("('text', {'Content-Type': 'text/plain'})", "text", 200, "text/plain")]
    [InlineData("(42,)", "42", 200, "text/plain")]
    [InlineData("iter(['a', b'b', 3])", "ab", 200, "text/html")]
    [InlineData("{'s': 'caf\\u00e9'}", "{\"s\": \"caf\\u00e9\"}", 200, "application/json")]
    [InlineData("type('R', (), {'__flask_response__': lambda self: True, 'status_code': 418, 'headers': {'X-R': '1'}, 'get_data': lambda self: 'teapot'})()", "teapot", 418, "text/html")]
    [InlineData("b'raw bytes'", "", 200, "text/html")]
    [InlineData("None", "{\"error\":\"Unsupported return type from Python function\"}", 500, "application/json")]
    [InlineData("5", "{\"error\":\"Unsupported return type from Python function\"}", 500, "application/json")]
    public void Request_ReturnValues_FollowFlaskRules(string returned, string body, int status, string contentType)
    {
        var code = PythonFixture.Load($"def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return {returned}\n");

        var response = (PluginResponse)code.ProcessRequest(new RecordingLocal(), PythonFixture.Request(), null, CancellationToken.None)!;

        response.Body.ShouldBe(body);
        response.Status.ShouldBe(status);
        response.Headers!["Content-Type"].ShouldBe(contentType);
    }

    [Fact]
    public void Request_ThirdItemNotADict_IsAnError()
    {
        var code = PythonFixture.Load("def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return ('x', 200, 'no')\n");

        var error = Should.Throw<PluginCodeException>(() => code.ProcessRequest(new RecordingLocal(), PythonFixture.Request(), null, CancellationToken.None));

        error.Message.ShouldBe("TypeError: expected a dictionary in header item");
    }

    [Fact]
    public void Raise_GivesTypeMessageAndTracebackWithFileAndLine()
    {
        var code = PythonFixture.Load("def helper():\n    return 1 / 0\n\ndef process_writes(influxdb3_local, table_batches, args=None):\n    helper()\n", "divide.py");

        var error = Should.Throw<PluginCodeException>(() => code.ProcessWrites(new RecordingLocal(), [], null, CancellationToken.None));

        error.Message.ShouldBe("ZeroDivisionError: division by zero");
        error.Traceback.ShouldNotBeNull();
        error.Traceback.ShouldContain("divide.py\", line 5, in process_writes");
        error.Traceback.ShouldContain("divide.py\", line 2, in helper");
        error.RequestMessage.ShouldBe("Python function call failed: ZeroDivisionError: division by zero");
    }

    [Theory]
    [InlineData("import sys\n    sys.exit(3)", "SystemExit: 3")]
    [InlineData("raise KeyboardInterrupt('stop')", "KeyboardInterrupt: stop")]
    public void SystemExitAndKeyboardInterrupt_EndTheRunOnly(string body, string message)
    {
        var code = PythonFixture.Load($"def process_writes(influxdb3_local, table_batches, args=None):\n    {body}\n");

        Should.Throw<PluginCodeException>(() => code.ProcessWrites(new RecordingLocal(), [], null, CancellationToken.None)).Message.ShouldBe(message);

        PythonInterpreter.Evaluate("1 + 1").ShouldBe("2");
    }

    [Fact]
    public void MissingEntryPoint_SaysTheExpectedSignature()
    {
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    pass\n");

        Should.Throw<PluginCodeException>(() => code.ProcessScheduledCall(new RecordingLocal(), DateTime.UtcNow, null, CancellationToken.None))
            .Message.ShouldBe(EntryPointSignatures.Missing(EntryPoints.ProcessScheduledCall));
    }

    [Fact]
    public void WrongSignature_IsTheTypeErrorPythonGives()
    {
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches):\n    pass\n");

        Should.Throw<PluginCodeException>(() => code.ProcessWrites(new RecordingLocal(), [], new Dictionary<string, string>(), CancellationToken.None))
            .Message.ShouldBe("TypeError: process_writes() takes 2 positional arguments but 3 were given");
    }

    [Fact]
    public void SingleFile_RunsInAFreshNamespaceEachCall()
    {
        var code = PythonFixture.Load("counter = []\ndef process_writes(influxdb3_local, table_batches, args=None):\n    counter.append(1)\n    influxdb3_local.info(len(counter))\n");
        var local = new RecordingLocal();

        code.ProcessWrites(local, [], null, CancellationToken.None);
        code.ProcessWrites(local, [], null, CancellationToken.None);

        local.Logs.ShouldBe(["INFO: 1", "INFO: 1"]);
    }

    [Fact]
    public void LoopThatNeverEnds_IsInterruptedWhenTheRunIsCancelled()
    {
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    while True:\n        pass\n");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Should.Throw<OperationCanceledException>(() => code.ProcessWrites(new RecordingLocal(), [], null, deadline.Token));

        var after = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    influxdb3_local.info('next run fine')\n");
        var local = new RecordingLocal();
        after.ProcessWrites(local, [], null, CancellationToken.None);
        local.Logs.ShouldBe(["INFO: next run fine"]);
    }

    [Fact]
    public void SleepPastTheDeadline_IsInterrupted()
    {
        var code = PythonFixture.Load("import time\ndef process_writes(influxdb3_local, table_batches, args=None):\n    time.sleep(3600)\n");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = System.Diagnostics.Stopwatch.StartNew();

        Should.Throw<OperationCanceledException>(() => code.ProcessWrites(new RecordingLocal(), [], null, deadline.Token));

        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ExceptExceptionInThePlugin_DoesNotSwallowTheInterrupt()
    {
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    while True:\n        try:\n            sum(range(1000))\n        except Exception:\n            pass\n");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Should.Throw<OperationCanceledException>(() => code.ProcessWrites(new RecordingLocal(), [], null, deadline.Token));
    }

    [Fact]
    public void JsonDumpsOutput_MatchesPythonDefaults()
    {
        var code = PythonFixture.Load("def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return [1, 'a', None, 2.5]\n");

        var response = (PluginResponse)code.ProcessRequest(new RecordingLocal(), PythonFixture.Request(), null, CancellationToken.None)!;

        response.Body.ShouldBe("[1, \"a\", null, 2.5]");
        JsonDocument.Parse((string)response.Body!).RootElement.GetArrayLength().ShouldBe(4);
    }

    [Fact]
    public void CommonModuleLevelCode_Dataclasses_FutureAnnotations_Typing_Work()
    {
        var code = PythonFixture.Load("""
            from __future__ import annotations
            from dataclasses import dataclass, field
            from typing import Optional
            import logging

            log = logging.getLogger(__name__)

            @dataclass
            class Config:
                threshold: float = 1.0
                tags: list[str] = field(default_factory=list)
                note: Optional[str] = None

            def process_writes(influxdb3_local, table_batches, args=None):
                config = Config(threshold=float(args["threshold"]))
                influxdb3_local.info(config)
            """);
        var local = new RecordingLocal();

        code.ProcessWrites(local, [], Args, CancellationToken.None);

        local.Logs.ShouldBe(["INFO: Config(threshold=5.0, tags=[], note=None)"]);
    }
}

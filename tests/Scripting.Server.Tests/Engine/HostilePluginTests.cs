using System.Net;
using System.Net.Http.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>Plugins that would end the process, in a real server: the run fails, error_behavior applies, the server stays up.</summary>
public sealed class HostilePluginTests : IAsyncLifetime
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
    public async Task CSharpRecursion_OnARequest_Is500_AndTheServerAnswersAfter()
    {
        _engine.Plugin("deep.csx", "int Deep(int n) => Deep(n + 1) + 1;\n" + RequestSignature + " => Deep(0);");
        await _engine.CreateTriggerAsync("sensors", "deep", "deep.csx", "request:deep");

        var response = await _engine.Http.GetAsync("/api/v3/engine/deep");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"error\":\"run stopped: recursion too deep in deep.csx, line 1\"}");
        (await _engine.Http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CSharpRecursion_OnASchedule_WithDisable_DisablesTheTrigger()
    {
        _engine.Plugin("loop.csx", """
            void Down(int n) { Down(n + 1); n--; }
            void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args) => Down(0);
            """);
        await _engine.CreateTriggerAsync("sensors", "loop", "loop.csx", "every:1s", settings: new { run_async = false, error_behavior = "disable" });

        var logs = await _engine.PollAsync("sensors", "select log_text from system.processing_engine_logs where trigger_name = 'loop' and log_level = 'ERROR'", rows => rows.GetArrayLength() > 0);
        logs[0].GetProperty("log_text").GetString()!.ShouldContain("run stopped: recursion too deep in loop.csx, line 1");
        var trigger = await _engine.PollAsync("sensors", "select disabled from system.processing_engine_triggers where trigger_name = 'loop'", rows => rows.GetArrayLength() > 0 && rows[0].GetProperty("disabled").GetBoolean());
        trigger[0].GetProperty("disabled").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    [Trait("Category", "Python")]
    public async Task PythonExit_OnARequest_Is500_NamingTheCall_AndTheServerAnswersAfter()
    {
        _engine.Plugin("quit.py", "import os\n\ndef process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    os._exit(1)\n");
        await _engine.CreateTriggerAsync("sensors", "quit", "quit.py", "request:quit");

        var response = await _engine.Http.GetAsync("/api/v3/engine/quit");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).ShouldContain("os._exit() would end the server's process");
        (await _engine.Http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

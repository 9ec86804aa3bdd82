using System.Net;
using System.Net.Http.Json;

namespace Scripting.Server.Tests.Engine;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_TriggersPersistAndStartAgain_DisabledStaysDisabled()
    {
        var data = TempDirectory.NewPath("engine-restart");
        var plugins = TempDirectory.NewPath("engine-restart-plugins");
        const string Plugin = "object process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => \"alive \" + a![\"n\"];";
        var first = await EngineServer.StartAsync(plugins, data);
        first.Plugin("r.csx", Plugin);
        await first.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "db" });
        (await first.CreateTriggerAsync("db", "on", "r.csx", "request:on", new { n = "1" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.CreateTriggerAsync("db", "off", "r.csx", "request:off", new { n = "2" }, disabled: true)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await first.Server.StopAsync();

        await using var second = await EngineServer.StartAsync(plugins, data);

        (await second.Http.GetStringAsync("/api/v3/engine/on")).ShouldBe("alive 1");
        (await second.Http.GetAsync("/api/v3/engine/off")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await second.Http.PostAsync("/api/v3/configure/processing_engine_trigger/enable?db=db&trigger_name=off", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Http.GetStringAsync("/api/v3/engine/off")).ShouldBe("alive 2");
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>A scheduled plugin calling its own server's request endpoint works under authentication with a token given as a trigger argument.</summary>
[Trait("Category", "Python")]
public sealed class TokenCallbackTests
{
    [Theory]
    [InlineData("csx")]
    [InlineData("py")]
    public async Task ScheduledCaller_WithServerTokenArgument_ReachesTheRequestPlugin(string extension)
    {
        var plugins = TempDirectory.NewPath("token-plugins");
        var samples = Path.Combine(SampleScenarios.RepositoryRoot(), extension == "py" ? "plugins-python" : "plugins-csharp");
        foreach (var name in new[] { "github_pr_req", "github_pr_scheduled" })
        {
            Directory.CreateDirectory(Path.Combine(plugins, name));
            File.Copy(Path.Combine(samples, name, $"{name}.{extension}"), Path.Combine(plugins, name, $"{name}.{extension}"));
        }

        await using var stub = await StubServer.StartAsync();
        await using var engine = await EngineServer.StartAsync(plugins, authentication: true);
        var created = JsonDocument.Parse(await (await engine.Http.PostAsync("/api/v3/configure/token/admin", null)).Content.ReadAsStringAsync()).RootElement;
        var token = created.GetProperty("token").GetString()!;
        engine.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await engine.Http.PostAsync("/api/v3/configure/database", new StringContent("{\"db\":\"aichat\"}", System.Text.Encoding.UTF8, "application/json"));

        (await engine.CreateTriggerAsync("aichat", "github_pr_endpoint", $"github_pr_req/github_pr_req.{extension}", "request:github_prs", new { api_base_url = stub.Url })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await engine.CreateTriggerAsync("aichat", "github_pr_monitor", $"github_pr_scheduled/github_pr_scheduled.{extension}", "every:1s",
            new { repo = "influxdata/docs-v2", time_period = "week", api_host = engine.Server.Address.ToString(), server_token = token })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var logs = await engine.PollAsync("aichat", "select log_text from system.processing_engine_logs where trigger_name = 'github_pr_monitor' and (log_text like 'Successfully fetched%' or log_level = 'ERROR')", r => r.GetArrayLength() > 0);

        logs[0].GetProperty("log_text").GetString().ShouldBe("Successfully fetched 1 PR merges for influxdata/docs-v2");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scripting.Server.Tests.Engine;

/// <summary>
/// The scenarios of the sample plugins (plugins-csharp/ and plugins-python/ hold the same samples under the
/// same names), each run against a server and returning what it produced: responses and rows, with values
/// that depend on the wall clock left out, so the two languages can be compared.
/// </summary>
public sealed class SampleScenarios(EngineServer engine, StubServer stub, string language)
{
    public const string Database = "aichat";

    private string Plugin(string name) => $"{name}/{name}.{(language == "python" ? "py" : "csx")}";

    public static async Task<(EngineServer Engine, StubServer Stub)> StartAsync(string language)
    {
        var plugins = Path.Combine(Path.GetTempPath(), "scripting-samples-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.Combine(RepositoryRoot(), language == "python" ? "plugins-python" : "plugins-csharp"), plugins);
        var engine = await EngineServer.StartAsync(plugins);
        var stub = await StubServer.StartAsync();
        await engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = Database });
        return (engine, stub);
    }

    /// <summary>The request plugin's answer (without the clock-dependent "since") and the gh rows it wrote.</summary>
    public async Task<JsonObject> GithubPrRequestAsync()
    {
        (await engine.CreateTriggerAsync(Database, "github_pr_endpoint", Plugin("github_pr_req"), "request:github_prs", new { api_base_url = stub.Url })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await engine.Http.PostAsync("/api/v3/engine/github_prs", new StringContent("""{"repo": "influxdata/docs-v2", "time_period": "week"}"""));

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("since").ShouldBeTrue(body.ToJsonString());
        foreach (var pr in body["pull_requests"]!.AsArray())
        {
            pr!.AsObject().Remove("merged_at");
        }

        var rows = await engine.PollAsync(Database, "select author, lines, repo, ref, activity_type from gh", r => r.GetArrayLength() == 1);
        return new JsonObject { ["status"] = (int)response.StatusCode, ["response"] = body, ["rows"] = JsonNode.Parse(rows.GetRawText()) };
    }

    /// <summary>The scheduled caller's success line, after it called the request endpoint of its own server.</summary>
    public async Task<string> GithubPrScheduledAsync()
    {
        await engine.CreateTriggerAsync(Database, "github_pr_endpoint", Plugin("github_pr_req"), "request:github_prs", new { api_base_url = stub.Url });
        (await engine.CreateTriggerAsync(Database, "github_pr_monitor", Plugin("github_pr_scheduled"), "every:1s",
            new { repo = "influxdata/docs-v2", time_period = "week", api_host = engine.Server.Address.ToString() })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var logs = await engine.PollAsync(Database, "select log_text from system.processing_engine_logs where trigger_name = 'github_pr_monitor' and log_text like 'Successfully fetched%'", r => r.GetArrayLength() > 0);
        logs.GetArrayLength().ShouldBeGreaterThan(0, "no success line from github_pr_monitor");
        return logs[0].GetProperty("log_text").GetString()!;
    }

    /// <summary>integration_status and alerts rows written when a gh row arrives.</summary>
    public async Task<JsonObject> KapaAlertAsync()
    {
        (await engine.CreateTriggerAsync(Database, "kapa_alert", Plugin("kapa_alert"), "table:gh",
            new { kapa_token = "kapa-secret", project_id = "p1", kapa_api_url = stub.Url, severity_threshold = "10" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await engine.Http.PostAsync($"/api/v3/write_lp?db={Database}", new StringContent("gh,repo=influxdata/docs-v2,ref=master activity_type=\"pr_merge\",lines=25i,author=\"jstirna\""));

        var status = await engine.PollAsync(Database, "select pr_count, total_lines, needs_update from integration_status", r => r.GetArrayLength() == 1);
        var alerts = await engine.PollAsync(Database, "select severity, message, total_lines from alerts", r => r.GetArrayLength() == 1);
        return new JsonObject { ["integration_status"] = JsonNode.Parse(status.GetRawText()), ["alerts"] = JsonNode.Parse(alerts.GetRawText()) };
    }

    /// <summary>The downsampled rows of the last interval.</summary>
    public async Task<JsonNode> DownsamplerAsync()
    {
        await engine.Http.PostAsync($"/api/v3/write_lp?db={Database}", new StringContent("home,room=Kitchen temp=20.0\nhome,room=Kitchen temp=22.0\nhome,room=Den temp=18.0"));
        (await engine.CreateTriggerAsync(Database, "downsample", Plugin("downsampler"), "every:1s",
            new { source = "home", target = "home_1h", interval = "1h", tags = "room", fields = "temp" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await engine.PollAsync(Database, "select room, temp, samples from home_1h order by time desc, room limit 2", r => r.GetArrayLength() == 2);
        return JsonNode.Parse(rows.GetRawText())!;
    }

    /// <summary>The first two beats.</summary>
    public async Task<JsonNode> HeartbeatAsync()
    {
        (await engine.CreateTriggerAsync(Database, "heartbeat", Plugin("heartbeat"), "every:1s", new { source = "test" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var beats = await engine.PollAsync(Database, "select beat, source from heartbeat order by time limit 2", r => r.GetArrayLength() >= 2);
        return JsonNode.Parse(beats.GetRawText())!;
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Scripting.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Scripting.sln not found above the test output");
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}

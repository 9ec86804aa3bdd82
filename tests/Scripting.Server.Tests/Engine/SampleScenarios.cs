using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scripting.Server.Tests.Engine;

/// <summary>
/// The scenarios of the sample plugins (plugins-csharp/ and plugins-python/ hold the same samples under the
/// same names), each run against a server and returning what it produced: responses and rows, with values
/// that depend on the wall clock left out, so the two languages can be compared. Each scenario has its
/// own database and deletes its triggers when done, so scenarios run one after another do not see each
/// other's rows.
/// </summary>
public sealed class SampleScenarios(EngineServer engine, StubServer stub, string language)
{
    public const string Database = "aichat";

    private async Task<string> DatabaseAsync(string scenario)
    {
        var database = $"{Database}_{scenario}";
        (await engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = database })).EnsureSuccessStatusCode();
        return database;
    }

    private async Task DeleteTriggersAsync(string database, params string[] triggers)
    {
        foreach (var trigger in triggers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v3/configure/processing_engine_trigger") { Content = JsonContent.Create(new { db = database, trigger_name = trigger, force = true }) };
            (await engine.Http.SendAsync(request)).EnsureSuccessStatusCode();
        }
    }

    private string Plugin(string name) => $"{name}/{name}.{(language == "python" ? "py" : "csx")}";

    public static async Task<(EngineServer Engine, StubServer Stub)> StartAsync(string language)
    {
        var plugins = TempDirectory.NewPath("samples");
        CopyDirectory(Path.Combine(RepositoryRoot(), language == "python" ? "plugins-python" : "plugins-csharp"), plugins);
        var engine = await EngineServer.StartAsync(plugins);
        var stub = await StubServer.StartAsync();
        return (engine, stub);
    }

    /// <summary>The request plugin's answer (without the clock-dependent "since") and the gh rows it wrote.</summary>
    public async Task<JsonObject> GithubPrRequestAsync()
    {
        var database = await DatabaseAsync("request");
        (await engine.CreateTriggerAsync(database, "github_pr_endpoint", Plugin("github_pr_req"), "request:github_prs", new { api_base_url = stub.Url })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await engine.Http.PostAsync("/api/v3/engine/github_prs", new StringContent("""{"repo": "influxdata/docs-v2", "time_period": "week"}"""));

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("since").ShouldBeTrue(body.ToJsonString());
        foreach (var pr in body["pull_requests"]!.AsArray())
        {
            pr!.AsObject().Remove("merged_at");
        }

        var rows = await engine.PollAsync(database, "select author, lines, repo, ref, activity_type from gh", r => r.GetArrayLength() == 1);
        await DeleteTriggersAsync(database, "github_pr_endpoint");
        return new JsonObject { ["status"] = (int)response.StatusCode, ["response"] = body, ["rows"] = JsonNode.Parse(rows.GetRawText()) };
    }

    /// <summary>The scheduled caller's success line, after it called the request endpoint of its own server.</summary>
    public async Task<string> GithubPrScheduledAsync()
    {
        var database = await DatabaseAsync("scheduled");
        await engine.CreateTriggerAsync(database, "github_pr_endpoint", Plugin("github_pr_req"), "request:github_prs", new { api_base_url = stub.Url });
        (await engine.CreateTriggerAsync(database, "github_pr_monitor", Plugin("github_pr_scheduled"), "every:1s",
            new { repo = "influxdata/docs-v2", time_period = "week", api_host = engine.Server.Address.ToString() })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var logs = await engine.PollAsync(database, "select log_text from system.processing_engine_logs where trigger_name = 'github_pr_monitor' and log_text like 'Successfully fetched%'", r => r.GetArrayLength() > 0);
        logs.GetArrayLength().ShouldBeGreaterThan(0, "no success line from github_pr_monitor");
        await DeleteTriggersAsync(database, "github_pr_monitor", "github_pr_endpoint");
        return logs[0].GetProperty("log_text").GetString()!;
    }

    /// <summary>integration_status and alerts rows written when a gh row arrives.</summary>
    public async Task<JsonObject> KapaAlertAsync()
    {
        var database = await DatabaseAsync("kapa");
        (await engine.CreateTriggerAsync(database, "kapa_alert", Plugin("kapa_alert"), "table:gh",
            new { kapa_token = "kapa-secret", project_id = "p1", kapa_api_url = stub.Url, severity_threshold = "10" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await engine.Http.PostAsync($"/api/v3/write_lp?db={database}", new StringContent("gh,repo=influxdata/docs-v2,ref=master activity_type=\"pr_merge\",lines=25i,author=\"jstirna\""));

        var status = await engine.PollAsync(database, "select pr_count, total_lines, needs_update from integration_status", r => r.GetArrayLength() == 1);
        var alerts = await engine.PollAsync(database, "select severity, message, total_lines from alerts", r => r.GetArrayLength() == 1);
        await DeleteTriggersAsync(database, "kapa_alert");
        return new JsonObject { ["integration_status"] = JsonNode.Parse(status.GetRawText()), ["alerts"] = JsonNode.Parse(alerts.GetRawText()) };
    }

    /// <summary>The downsampled rows of the last interval.</summary>
    public async Task<JsonNode> DownsamplerAsync()
    {
        var database = await DatabaseAsync("downsampler");
        // Two Kitchen samples: lines without a timestamp get the time of their request, so one request
        // would make them one point (the later winning).
        await engine.Http.PostAsync($"/api/v3/write_lp?db={database}", new StringContent("home,room=Kitchen temp=20.0\nhome,room=Den temp=18.0"));
        await engine.Http.PostAsync($"/api/v3/write_lp?db={database}", new StringContent("home,room=Kitchen temp=22.0"));
        (await engine.CreateTriggerAsync(database, "downsample", Plugin("downsampler"), "every:1s",
            new { source = "home", target = "home_1h", interval = "1h", tags = "room", fields = "temp" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await engine.PollAsync(database, "select room, temp, samples from home_1h order by time desc, room limit 2", r => r.GetArrayLength() == 2);
        await DeleteTriggersAsync(database, "downsample");
        return JsonNode.Parse(rows.GetRawText())!;
    }

    /// <summary>The first two beats.</summary>
    public async Task<JsonNode> HeartbeatAsync()
    {
        var database = await DatabaseAsync("heartbeat");
        (await engine.CreateTriggerAsync(database, "heartbeat", Plugin("heartbeat"), "every:1s", new { source = "test" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var beats = await engine.PollAsync(database, "select beat, source from heartbeat order by time limit 2", r => r.GetArrayLength() >= 2);
        await DeleteTriggersAsync(database, "heartbeat");
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

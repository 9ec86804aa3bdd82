using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>Every sample in plugins-csharp/ runs here, so the samples cannot rot.</summary>
public sealed class SamplePluginTests : IAsyncLifetime
{
    private EngineServer _engine = null!;
    private StubServer _stub = null!;

    public async Task InitializeAsync()
    {
        var plugins = Path.Combine(Path.GetTempPath(), "scripting-samples-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.Combine(RepositoryRoot(), "plugins-csharp"), plugins);
        _engine = await EngineServer.StartAsync(plugins);
        _stub = await StubServer.StartAsync();
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "aichat" });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task GithubPrRequest_AgainstStub_WritesMergesAndAnswersSummary()
    {
        (await _engine.CreateTriggerAsync("aichat", "github_pr_endpoint", "github_pr_req/github_pr_req.csx", "request:github_prs", new { api_base_url = _stub.Url })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await _engine.Http.PostAsync("/api/v3/engine/github_prs", new StringContent("""{"repo": "influxdata/docs-v2", "time_period": "week"}"""));

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetString().ShouldBe("success", body.GetRawText());
        body.GetProperty("pr_count").GetInt32().ShouldBe(1);
        var rows = await _engine.PollAsync("aichat", "select author, lines, repo, ref, activity_type from gh", r => r.GetArrayLength() == 1);
        rows.GetRawText().ShouldBe("""[{"author":"jstirna","lines":25,"repo":"influxdata/docs-v2","ref":"master","activity_type":"pr_merge"}]""");
    }

    [Fact]
    public async Task GithubPrScheduled_CallsTheRequestEndpointOfItsServer()
    {
        await _engine.CreateTriggerAsync("aichat", "github_pr_endpoint", "github_pr_req/github_pr_req.csx", "request:github_prs", new { api_base_url = _stub.Url });
        (await _engine.CreateTriggerAsync("aichat", "github_pr_monitor", "github_pr_scheduled/github_pr_scheduled.csx", "every:1s",
            new { repo = "influxdata/docs-v2", time_period = "week", api_host = _engine.Server.Address.ToString() })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var logs = await _engine.PollAsync("aichat", "select log_text from system.processing_engine_logs where trigger_name = 'github_pr_monitor' and log_text like 'Successfully fetched%'", r => r.GetArrayLength() > 0);

        logs[0].GetProperty("log_text").GetString().ShouldBe("Successfully fetched 1 PR merges for influxdata/docs-v2");
    }

    [Fact]
    public async Task KapaAlert_OnGhWrites_WritesStatusAndAlert()
    {
        (await _engine.CreateTriggerAsync("aichat", "kapa_alert", "kapa_alert/kapa_alert.csx", "table:gh",
            new { kapa_token = "kapa-secret", project_id = "p1", kapa_api_url = _stub.Url, severity_threshold = "10" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _engine.Http.PostAsync("/api/v3/write_lp?db=aichat", new StringContent("gh,repo=influxdata/docs-v2,ref=master activity_type=\"pr_merge\",lines=25i,author=\"jstirna\""));

        var status = await _engine.PollAsync("aichat", "select pr_count, total_lines, needs_update from integration_status", r => r.GetArrayLength() == 1);
        var alerts = await _engine.PollAsync("aichat", "select severity, message from alerts", r => r.GetArrayLength() == 1);
        status.GetRawText().ShouldBe("""[{"pr_count":1,"total_lines":25,"needs_update":true}]""");
        alerts[0].GetProperty("message").GetString().ShouldBe("25 lines merged since 'Documentation' was last ingested");
    }

    [Fact]
    public async Task Downsampler_AveragesTheLastIntervalPerTag()
    {
        await _engine.Http.PostAsync("/api/v3/write_lp?db=aichat", new StringContent("home,room=Kitchen temp=20.0\nhome,room=Kitchen temp=22.0\nhome,room=Den temp=18.0"));
        (await _engine.CreateTriggerAsync("aichat", "downsample", "downsampler/downsampler.csx", "every:1s",
            new { source = "home", target = "home_1h", interval = "1h", tags = "room", fields = "temp" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await _engine.PollAsync("aichat", "select room, temp, samples from home_1h order by time desc, room limit 2", r => r.GetArrayLength() == 2);

        rows.GetRawText().ShouldBe("""[{"room":"Den","temp":18.0,"samples":1},{"room":"Kitchen","temp":21.0,"samples":2}]""");
    }

    [Fact]
    public async Task Heartbeat_WritesIncreasingBeats()
    {
        (await _engine.CreateTriggerAsync("aichat", "heartbeat", "heartbeat/heartbeat.csx", "every:1s", new { source = "test" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var beats = await _engine.PollAsync("aichat", "select beat, source from heartbeat order by time", r => r.GetArrayLength() >= 2);

        beats[0].GetProperty("beat").GetInt64().ShouldBe(1);
        beats[1].GetProperty("beat").GetInt64().ShouldBe(2);
        beats[0].GetProperty("source").GetString().ShouldBe("test");
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

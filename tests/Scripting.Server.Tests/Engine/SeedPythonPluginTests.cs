using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Server.Tests.Engine;

/// <summary>
/// The Python plugins of the guides (tests/cases/seed-plugins, verbatim) run here unmodified; only the
/// GitHub and Kapa.ai URLs are pointed at local stubs. They import requests, from the machine's Python.
/// </summary>
[Trait("Category", "Python")]
public sealed class SeedPythonPluginTests : IAsyncLifetime
{
    private EngineServer _engine = null!;
    private StubServer _stub = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubServer.StartAsync();
        var plugins = TempDirectory.NewPath("seed-plugins");
        Directory.CreateDirectory(plugins);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "cases", "seed-plugins"), "*.py"))
        {
            var code = File.ReadAllText(file).Replace("https://api.github.com", _stub.Url, StringComparison.Ordinal).Replace("https://api.kapa.ai", _stub.Url, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(plugins, Path.GetFileName(file)), code);
        }

        _engine = await EngineServer.StartAsync(plugins);
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "aichat" });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task GithubPrRequest_SeedCurl_WritesTheMergeAndAnswersJson()
    {
        (await _engine.CreateTriggerAsync("aichat", "github_pr_endpoint", "github_pr_req.py", "request:github_prs", new { github_token = "your_github_token" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await _engine.Http.PostAsync("/api/v3/engine/github_prs", new StringContent("""{"repo": "influxdata/docs-v2", "time_period": "week"}""", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetString().ShouldBe("success", body.GetRawText());
        body.GetProperty("message").GetString().ShouldBe("Wrote 1 PR merge events to database");
        body.GetProperty("pull_requests")[0].GetProperty("lines").GetInt32().ShouldBe(25);
        var rows = await _engine.PollAsync("aichat", "select author, lines, repo, ref, activity_type from gh", r => r.GetArrayLength() == 1);
        rows.GetRawText().ShouldBe("""[{"author":"jstirna","lines":25,"repo":"influxdata/docs-v2","ref":"master","activity_type":"pr_merge"}]""");
    }

    [Fact]
    public async Task ScheduledCaller_PostsToTheServersOwnEndpoint()
    {
        await _engine.CreateTriggerAsync("aichat", "github_pr_endpoint", "github_pr_req.py", "request:github_prs");
        (await _engine.CreateTriggerAsync("aichat", "github_pr_monitor", "github_pr_scheduled.py", "every:1s",
            new { repo = "influxdata/docs-v2", time_period = "week", api_host = _engine.Server.Address.ToString() })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var logs = await _engine.PollAsync("aichat", "select log_text from system.processing_engine_logs where trigger_name = 'github_pr_monitor' and log_text like 'Successfully fetched%'", r => r.GetArrayLength() > 0);

        logs[0].GetProperty("log_text").GetString().ShouldBe("Successfully fetched 1 PR merges for influxdata/docs-v2");
    }

    [Fact]
    public async Task KapaRequest_WritesSourceEventsAndAnswers()
    {
        (await _engine.CreateTriggerAsync("aichat", "kapa_sources_endpoint", "kapa_ai_req.py", "request:kapa_sources")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await _engine.Http.PostAsync("/api/v3/engine/kapa_sources", new StringContent("""{"project_id": "p1", "integration_id": "i1", "kapa_token": "kapa-secret"}"""));

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetString().ShouldBe("success", body.GetRawText());
        body.GetProperty("source_count").GetInt32().ShouldBe(1);
        var rows = await _engine.PollAsync("aichat", "select event_type, source_name, timezone from kapa_source order by event_type", r => r.GetArrayLength() == 2);
        rows.GetRawText().ShouldBe("""[{"event_type":"ingestion","source_name":"Documentation","timezone":"UTC"},{"event_type":"scheduled_run","source_name":"Documentation","timezone":"UTC"}]""");
    }

    [Fact]
    public async Task GhKapaAlert_OnGhWrites_WritesStatusAndDocumentationAlert()
    {
        (await _engine.CreateTriggerAsync("aichat", "gh_kapa_monitor", "gh_kapa_integration.py", "table:gh",
            new { kapa_token = "kapa-secret", project_id = "p1", source_name = "Documentation", repo = "influxdata/docs-v2", severity_threshold = "200" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _engine.Http.PostAsync("/api/v3/write_lp?db=aichat", new StringContent("gh,repo=influxdata/docs-v2,ref=master activity_type=\"pr_merge\",lines=250i,author=\"jstirnaman\""));

        var status = await _engine.PollAsync("aichat", "select prs_since_ingestion, lines_since_ingestion, needs_update, severity_threshold from integration_status", r => r.GetArrayLength() == 1);
        var alert = await _engine.PollAsync("aichat", "select severity, lines_changed from documentation_alert", r => r.GetArrayLength() == 1);
        status.GetRawText().ShouldBe("""[{"prs_since_ingestion":1,"lines_since_ingestion":250,"needs_update":1,"severity_threshold":200}]""");
        alert.GetRawText().ShouldBe("""[{"severity":"warning","lines_changed":250}]""");
    }

    [Fact]
    public async Task BrokenScheduledDraft_RefusedWithItsPosition()
    {
        var response = await _engine.CreateTriggerAsync("aichat", "gh_pr_monitor", "github_pr_sched.py", "every:1h");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("github_pr_sched.py:1:");
    }
}

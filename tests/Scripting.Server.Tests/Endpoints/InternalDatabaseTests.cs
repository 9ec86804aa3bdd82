using System.Net;
using System.Text.Json;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>
/// InfluxDB 3's <c>_internal</c> database: listed first, readable with SQL, holding the server's own tables
/// (<c>system.plugin_files</c> only there, <c>system.queries</c> everywhere), and taking no writes.
/// </summary>
public sealed class InternalDatabaseTests : IAsyncLifetime
{
    private const string RequestPlugin = EngineServer.CSharpRequestSignature + " => \"ok\";";
    private EngineServer _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineServer.StartAsync();

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task DatabaseList_StartsWithInternal()
    {
        (await _engine.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent("m f=1 1"))).EnsureSuccessStatusCode();

        (await _engine.Http.GetStringAsync("/api/v3/configure/database?format=csv")).ShouldBe("iox::database\n_internal\nsensors\n");
    }

    [Fact]
    public async Task PluginFiles_ListEveryTriggersFilesInInternalOnly()
    {
        _engine.Plugin("status.csx", RequestPlugin);
        (await _engine.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent("m f=1 1"))).EnsureSuccessStatusCode();
        (await _engine.CreateTriggerAsync("sensors", "status", "status.csx", "request:status")).EnsureSuccessStatusCode();

        var rows = await QueryAsync("_internal", "SELECT plugin_name, file_name, file_path, size_bytes FROM system.plugin_files");

        rows.GetArrayLength().ShouldBe(1);
        rows[0].GetProperty("plugin_name").GetString().ShouldBe("status");
        rows[0].GetProperty("file_name").GetString().ShouldBe("status.csx");
        rows[0].GetProperty("file_path").GetString().ShouldBe(Path.Combine(_engine.PluginDirectory, "status.csx"));
        rows[0].GetProperty("size_bytes").GetInt64().ShouldBe(new FileInfo(Path.Combine(_engine.PluginDirectory, "status.csx")).Length);

        using var elsewhere = await _engine.Http.GetAsync("/api/v3/query_sql?db=sensors&q=" + Uri.EscapeDataString("SELECT * FROM system.plugin_files"));
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await elsewhere.Content.ReadAsStringAsync()).ShouldContain("table 'system.plugin_files' not found");
    }

    [Fact]
    public async Task Queries_AreLoggedPerDatabaseWithTheirOutcome()
    {
        (await _engine.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent("m f=1 1"))).EnsureSuccessStatusCode();
        await QueryAsync("sensors", "SELECT count(*) AS n FROM m");
        using var failed = await _engine.Http.GetAsync("/api/v3/query_sql?db=sensors&q=" + Uri.EscapeDataString("SELECT nope FROM m"));

        var rows = await QueryAsync("sensors", "SELECT query_text, phase, success, running FROM system.queries WHERE query_text NOT LIKE '%system.queries%' ORDER BY issue_time");

        rows.EnumerateArray().Select(r => (r.GetProperty("query_text").GetString(), r.GetProperty("phase").GetString(), r.GetProperty("success").GetBoolean()))
            .ShouldBe([("SELECT count(*) AS n FROM m", "success", true), ("SELECT nope FROM m", "fail", false)]);
        (await QueryAsync("_internal", "SELECT count(*) AS n FROM system.queries WHERE query_text = 'SELECT count(*) AS n FROM m'"))[0].GetProperty("n").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Writes_ToInternalAreRefused()
    {
        using var response = await _engine.Http.PostAsync("/api/v3/write_lp?db=_internal", new StringContent("m f=1 1"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<JsonElement> QueryAsync(string database, string sql)
    {
        using var response = await _engine.Http.GetAsync($"/api/v3/query_sql?db={database}&format=json&q={Uri.EscapeDataString(sql)}");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

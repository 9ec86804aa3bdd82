using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scripting.Core.Catalog;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>Databases, tables and columns stop growing at the configured limits, with upstream's errors, on every path.</summary>
public sealed class SchemaLimitTests : IAsyncLifetime
{
    private EngineServer _engine = null!;

    private HttpClient Http => _engine.Http;

    public async Task InitializeAsync() =>
        _engine = await EngineServer.StartAsync(options: new ServerOptions { SchemaLimits = new SchemaLimits(Databases: 3, Tables: 4, ColumnsPerTable: 3) });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task APastTheLimitDatabase_Is422_ByCreateAndByWrite_AndNothingElseIsLost()
    {
        (await Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "a" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Http.PostAsync("/api/v3/write_lp?db=b", new StringContent("m v=1i 1"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Http.PostAsync("/write?db=c", new StringContent("m v=1i 1"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var created = await Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "d" });
        var written = await Http.PostAsync("/api/v3/write_lp?db=e", new StringContent("m v=1i 1"));

        created.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await JsonAsync(created)).GetProperty("error").GetString().ShouldBe("Adding a new database would exceed limit of 3 databases");
        written.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await JsonAsync(written)).GetProperty("error").GetString().ShouldBe("Adding a new database would exceed limit of 3 databases");
        (await Http.PostAsync("/api/v3/write_lp?db=b", new StringContent("m v=2i 2"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _engine.QueryAsync("b", "select v from m order by time")).GetRawText().ShouldBe("""[{"v":1},{"v":2}]""");
    }

    [Fact]
    public async Task TablesPastTheLimit_AreLineErrors_InA422PartialWrite_TheOtherLinesStored()
    {
        var partial = await Http.PostAsync("/api/v3/write_lp?db=t", new StringContent("t1 v=1i 1\nt2 v=1i 1\nt3 v=1i 1\nt4 v=1i 1\nt5 v=1i 1\nt1 v=2i 2"));
        var strict = await Http.PostAsync("/api/v3/write_lp?db=t&accept_partial=false", new StringContent("t1 v=3i 3\nt6 v=1i 1"));

        partial.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var body = await JsonAsync(partial);
        body.GetProperty("error").GetString().ShouldBe("partial write of line protocol occurred");
        var line = body.GetProperty("data")[0];
        line.GetProperty("line_number").GetInt32().ShouldBe(5);
        line.GetProperty("error_message").GetString().ShouldBe("Update to schema would exceed number of tables limit: attempted to create table but already have 4 table(s) (limit: 4)");
        strict.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonAsync(strict)).GetProperty("data").GetProperty("error_message").GetString()!.ShouldStartWith("Update to schema would exceed number of tables limit");
        (await _engine.QueryAsync("t", "select v from t1 order by time")).GetRawText().ShouldBe("""[{"v":1},{"v":2}]""");
    }

    [Fact]
    public async Task ColumnsPastTheLimit_AreLineErrors_CountingTagsAndFields()
    {
        var response = await Http.PostAsync("/api/v3/write_lp?db=c1", new StringContent("m,a=1 x=1i 1\nm,a=1 y=1i,z=1i 2\nm,a=1 y=2i 3"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var line = (await JsonAsync(response)).GetProperty("data")[0];
        line.GetProperty("line_number").GetInt32().ShouldBe(2);
        line.GetProperty("error_message").GetString().ShouldBe("Update to schema would exceed number of columns per table limit of 3 columns");
        (await _engine.QueryAsync("c1", "select a, x, y from m order by time")).GetRawText().ShouldBe("""[{"a":"1","x":1},{"a":"1","y":2}]""");
    }

    [Fact]
    public async Task PluginWrites_MeetTheSameLimits()
    {
        _engine.Plugin("grow.csx", """
            object process_request(IInfluxDb3Local influxdb3_local, IReadOnlyDictionary<string, string> query_parameters, IReadOnlyDictionary<string, string> request_headers, byte[] request_body, IReadOnlyDictionary<string, string>? args)
            {
                try { influxdb3_local.write_sync(new LineBuilder("wide").int64_field("a", 1).int64_field("b", 1).int64_field("c", 1).int64_field("d", 1), false); return "written"; }
                catch (InfluxDBError error) { return error.Message; }
            }
            """);
        await Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "p" });
        await _engine.CreateTriggerAsync("p", "grow", "grow.csx", "request:grow");

        (await Http.GetStringAsync("/api/v3/engine/grow")).ShouldBe("error writing line protocol to p: Update to schema would exceed number of columns per table limit of 3 columns");
    }
}

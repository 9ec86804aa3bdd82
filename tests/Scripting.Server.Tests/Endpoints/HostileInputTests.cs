using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>
/// Bad input gets a clear 4xx and nothing already accepted is lost: deeply nested and huge JSON, a line
/// longer than the body limit, odd characters in trigger names and request paths, SQL carried in query
/// parameters (bound, never run).
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new Hosting.ServerOptions { MaxRequestBytes = 256 * 1024 });
        await _server.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "home" });
        (await _server.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent("home,room=Kitchen temp=21.5 1\nhome,room=Hall temp=19.5 2"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task RowsStayAsync()
    {
        var rows = JsonDocument.Parse(await _server.Http.GetStringAsync("/api/v3/query_sql?db=home&format=json&q=select%20count(*)%20as%20n%20from%20home")).RootElement;
        rows[0].GetProperty("n").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task DeeplyNestedJson_400()
    {
        var nested = new string('[', 5_000) + new string(']', 5_000);

        var response = await _server.Http.PostAsync("/api/v3/configure/processing_engine_trigger", new StringContent($"{{\"db\":\"home\",\"trigger_arguments\":{nested}}}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"error\"");
        await RowsStayAsync();
    }

    [Fact]
    public async Task HugeJsonAndHugeLine_413()
    {
        var hugeJson = "{\"db\":\"" + new string('x', 400_000) + "\"}";
        var hugeLine = "home,room=" + new string('x', 400_000) + " temp=1 3";

        var json = await _server.Http.PostAsync("/api/v3/configure/database", new StringContent(hugeJson, Encoding.UTF8, "application/json"));
        var line = await _server.Http.PostAsync("/api/v3/write_lp?db=home", new StringContent(hugeLine));

        json.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        line.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        await RowsStayAsync();
    }

    [Theory]
    [InlineData("tab\tname")]
    [InlineData("../up")]
    [InlineData("nul\u0000char")]
    [InlineData("")]
    [InlineData("LONG")]
    public async Task TriggerNamesWithOddCharacters_400(string name)
    {
        name = name == "LONG" ? new string('t', 300) : name;
        var response = await _server.Http.PostAsJsonAsync("/api/v3/configure/processing_engine_trigger", new Dictionary<string, object?>
        {
            ["db"] = "home", ["plugin_filename"] = "x.py", ["trigger_name"] = name, ["trigger_specification"] = "all_tables",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("trigger");
    }

    [Theory]
    [InlineData("request:../../etc")]
    [InlineData("request:a b")]
    [InlineData("request:")]
    [InlineData("request:%00")]
    public async Task RequestPathsWithOddCharacters_400(string specification)
    {
        var response = await _server.Http.PostAsJsonAsync("/api/v3/configure/processing_engine_trigger", new Dictionary<string, object?>
        {
            ["db"] = "home", ["plugin_filename"] = "x.py", ["trigger_name"] = "odd", ["trigger_specification"] = specification,
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SqlInAParameter_IsBoundAsAValue_NeverRun()
    {
        var body = new { db = "home", q = "select room from home where room = $room", format = "json", @params = new { room = "Kitchen'; DROP TABLE home; --" } };

        var response = await _server.Http.PostAsJsonAsync("/api/v3/query_sql", body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("[]");
        await RowsStayAsync();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Scripting.Server.Tests.InfluxQL;

/// <summary>v1's <c>/query</c> as Grafana's InfluxQL mode and v1 clients call it: GET with <c>epoch=ms</c>, the form POST, tokens as <c>p=</c> or Basic.</summary>
public sealed class QueryEndpointTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(authentication: true);
        _token = await _server.CreateAdminTokenAsync();
        using var write = new HttpRequestMessage(HttpMethod.Post, "/write?db=sensors&precision=s") { Content = new StringContent("home,room=Kitchen temp=21.5 1641024000\nhome,room=Kitchen temp=22.5 1641027600") };
        write.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        (await _server.Http.SendAsync(write)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GrafanaHealthCheck_ShowMeasurementsWithThePasswordParameter()
    {
        using var response = await _server.Http.GetAsync($"/query?db=sensors&q={Uri.EscapeDataString("SHOW measurements")}&epoch=ms&u=grafana&p={_token}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["home"]]}]}]}""");
    }

    [Fact]
    public async Task GrafanaPanelQuery_FormPostWithBasicAuth_EpochMilliseconds()
    {
        var query = "SELECT mean(\"temp\") FROM \"home\" WHERE time >= 1641024000000ms and time <= 1641031200000ms GROUP BY time(1h) fill(null)";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/query")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["db"] = "sensors", ["q"] = query, ["epoch"] = "ms" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("grafana:" + _token)));

        using var response = await _server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var values = JsonDocument.Parse(body).RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values");
        values.EnumerateArray().Select(v => (v[0].GetInt64(), v[1].ValueKind == JsonValueKind.Null ? (double?)null : v[1].GetDouble()))
            .ShouldBe([(1641024000000L, 21.5), (1641027600000L, 22.5), (1641031200000L, null)]);
    }

    [Fact]
    public async Task WithoutToken_IsUnauthorized()
    {
        using var response = await _server.Http.GetAsync($"/query?db=sensors&q={Uri.EscapeDataString("SHOW DATABASES")}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task StatementErrors_StayInTheirResult_OtherStatementsAnswer()
    {
        using var response = await _server.Http.GetAsync($"/query?db=sensors&p={_token}&q={Uri.EscapeDataString("SELECT top(temp, 1) FROM home; SELECT count(temp) FROM home")}");
        var results = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        results[0].GetProperty("error").GetString()!.ShouldContain("top()");
        results[1].GetProperty("series")[0].GetProperty("values")[0][1].GetInt64().ShouldBe(2);
    }
}

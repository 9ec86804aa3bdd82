using System.Net;
using System.Text.Json;

namespace Scripting.Server.Tests.Endpoints;

public sealed class CompatibleWriteTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> TimesAsync(string database) =>
        await _server.Http.GetStringAsync($"/api/v3/query_sql?db={database}&format=csv&q={Uri.EscapeDataString("select time from m order by time")}");

    [Fact]
    public async Task V1Write_PrecisionSeconds_Stored()
    {
        var response = await _server.Http.PostAsync("/write?db=v1&precision=s", new StringContent("m f=1 1742198400"));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await TimesAsync("v1")).ShouldBe("time\n2025-03-17T08:00:00\n");
    }

    [Fact]
    public async Task V1Write_DefaultPrecisionIsNanoseconds()
    {
        await _server.Http.PostAsync("/write?db=v1ns", new StringContent("m f=1 1742198400000000001"));

        (await TimesAsync("v1ns")).ShouldBe("time\n2025-03-17T08:00:00.000000001\n");
    }

    [Fact]
    public async Task V2Write_BucketIsDatabase_ErrorsUseCodeAndMessage()
    {
        (await _server.Http.PostAsync("/api/v2/write?bucket=v2&org=x&precision=ms", new StringContent("m f=1 1742198400000"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var bad = await _server.Http.PostAsync("/api/v2/write?bucket=v2", new StringContent("m f=2 1\nm f"));

        (await TimesAsync("v2")).ShouldBe("time\n2025-03-17T08:00:00\n");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        error.GetProperty("code").GetString().ShouldBe("invalid");
        error.GetProperty("message").GetString()!.ShouldContain("line 2");
    }

    [Fact]
    public async Task NoSyncWrite_AcknowledgedAndVisibleSoon()
    {
        (await _server.Http.PostAsync("/api/v3/write_lp?db=ns&no_sync=true", new StringContent("m f=1 1"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string times;
        do
        {
            times = await TimesAsync("ns");
        }
        while (times == "time\n" && DateTime.UtcNow < deadline);

        times.ShouldBe("time\n1970-01-01T00:00:01\n");
    }

    [Fact]
    public async Task HealthAndPing_Answer()
    {
        (await _server.Http.GetStringAsync("/health")).ShouldBe("OK");
        var ping = JsonDocument.Parse(await _server.Http.GetStringAsync("/ping")).RootElement;
        ping.GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
    }
}

using System.Net;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>Every HTTP write path keeps InfluxDB's point identity: table + tag set + time is one point.</summary>
public sealed class PointIdentityTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> CsvAsync(string database, string sql) =>
        await _server.Http.GetStringAsync($"/api/v3/query_sql?db={database}&format=csv&q={Uri.EscapeDataString(sql)}");

    private async Task WriteAsync(string path, string lines) =>
        (await _server.Http.PostAsync(path, new StringContent(lines))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

    [Fact]
    public async Task ThreeWritesOfOnePoint_CountOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            await WriteAsync("/api/v3/write_lp?db=d&precision=s", "dup,host=a v=1 1742198400");
        }

        (await CsvAsync("d", "select count(*) as n from dup")).ShouldBe("n\n1\n");
    }

    [Fact]
    public async Task V1V2AndV3Writes_MergeFieldByField_LaterWins()
    {
        await WriteAsync("/write?db=mix&precision=s", "m,host=a x=1,y=1 1742198400");
        await WriteAsync("/api/v2/write?bucket=mix&precision=ms", "m,host=a y=2,z=3 1742198400000");
        await WriteAsync("/api/v3/write_lp?db=mix&precision=nanosecond", "m,host=a z=4 1742198400000000000\nm,host=a z=5 1742198400000000000");

        (await CsvAsync("mix", "select host, time, x, y, z from m")).ShouldBe("host,time,x,y,z\na,2025-03-17T08:00:00,1.0,2.0,5.0\n");
        (await CsvAsync("mix", "select count(*) as n from m")).ShouldBe("n\n1\n");
    }

    [Fact]
    public async Task AbsentTags_AreADifferentSeries()
    {
        await WriteAsync("/api/v3/write_lp?db=tags&precision=s", "m,a=1 v=1i 1742198400\nm,a=1,b=2 v=2i 1742198400\nm,b=2,a=1 v=3i 1742198400");

        (await CsvAsync("tags", "select a, b, v from m order by v")).ShouldBe("a,b,v\n1,,1\n1,2,3\n");
    }

    [Fact]
    public async Task AQueryJoiningInformationSchema_SeesOnePoint()
    {
        await WriteAsync("/api/v3/write_lp?db=sys&precision=s", "m,host=a v=1i 1742198400\nm,host=a v=2i 1742198400");

        (await CsvAsync("sys", "select count(*) as n from m join information_schema.tables t on t.table_name = 'm'")).ShouldBe("n\n1\n");
    }
}

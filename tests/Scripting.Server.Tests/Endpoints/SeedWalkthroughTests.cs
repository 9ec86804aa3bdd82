using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>The database steps of the seed walkthrough, over HTTP.</summary>
public sealed class SeedWalkthroughTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        (await _server.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "sensors" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var write = await _server.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent(SeedData.Home));
        write.StatusCode.ShouldBe(HttpStatusCode.NoContent, await write.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> QueryAsync(string sql, string format) =>
        await _server.Http.GetAsync($"/api/v3/query_sql?db=sensors&format={format}&q={Uri.EscapeDataString(sql)}");

    [Fact]
    public async Task Query_SeedTimeRangeInSeconds_ReturnsTheEightInnerRowsAsJson()
    {
        var response = await QueryAsync("select * from home where time > 1742198400 and time < 1742216400", "json");

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetArrayLength().ShouldBe(8);
        json.RootElement[0].GetRawText().ShouldBe("""{"co":0,"hum":35.9,"room":"Living Room","temp":21.4,"time":"2025-03-17T09:00:00"}""");
    }

    [Fact]
    public async Task Query_Jsonl_OneObjectPerLine()
    {
        var body = await (await QueryAsync("select room, temp from home order by time, room limit 2", "jsonl")).Content.ReadAsStringAsync();

        body.ShouldBe("{\"room\":\"Kitchen\",\"temp\":21.0}\n{\"room\":\"Living Room\",\"temp\":21.1}\n");
    }

    [Fact]
    public async Task Query_Csv_HeaderThenRows()
    {
        var body = await (await QueryAsync("select room, co, time from home order by time desc, room limit 1", "csv")).Content.ReadAsStringAsync();

        body.ShouldBe("room,co,time\nKitchen,1,2025-03-17T13:00:00\n");
    }

    [Fact]
    public async Task Query_Pretty_AsciiTable()
    {
        var body = await (await QueryAsync("select room, count(*) as n from home group by room order by room", "pretty")).Content.ReadAsStringAsync();

        body.ShouldBe("""
            +-------------+---+
            | room        | n |
            +-------------+---+
            | Kitchen     | 6 |
            | Living Room | 6 |
            +-------------+---+

            """.Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_Parquet_ReturnsParquetFile()
    {
        var bytes = await (await QueryAsync("select * from home", "parquet")).Content.ReadAsByteArrayAsync();

        Encoding.ASCII.GetString(bytes[..4]).ShouldBe("PAR1");
        Encoding.ASCII.GetString(bytes[^4..]).ShouldBe("PAR1");
    }

    [Fact]
    public async Task Query_EventTypeAndNowSeedShape_RunsAndFiltersByTime()
    {
        await _server.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent("kapa_source,event_type=ingested_at count=3i\nkapa_source,event_type=ingested_at count=1i 1000000000"));

        var body = await (await QueryAsync("select count from kapa_source where event_type='ingested_at' and time > now() - interval '7 days'", "json")).Content.ReadAsStringAsync();

        body.ShouldBe("[{\"count\":3}]");
    }

    [Fact]
    public async Task Query_AggregateGroupByDateBin_HourlyAverages()
    {
        var body = await (await QueryAsync("select date_bin(interval '1 hour', time) as hour, avg(temp) as t from home group by hour order by hour limit 1", "json")).Content.ReadAsStringAsync();

        body.ShouldBe("[{\"hour\":\"2025-03-17T08:00:00\",\"t\":21.05}]");
    }

    [Fact]
    public async Task Query_PostWithParams_BindsValues()
    {
        var response = await _server.Http.PostAsJsonAsync("/api/v3/query_sql", new
        {
            db = "sensors",
            q = "select temp from \"home\" where room = $room and co = $co",
            format = "json",
            @params = new { room = "Kitchen", co = 1 },
        });

        (await response.Content.ReadAsStringAsync()).ShouldBe("[{\"temp\":22.8}]");
    }

    [Fact]
    public async Task Query_ShowTablesAndInformationSchema_ListHome()
    {
        var tables = await (await QueryAsync("SHOW TABLES", "json")).Content.ReadAsStringAsync();
        var columns = await (await QueryAsync("select column_name, data_type from information_schema.columns where table_name = 'home' order by column_name", "csv")).Content.ReadAsStringAsync();

        tables.ShouldContain("\"table_name\":\"home\"");
        columns.ShouldBe("column_name,data_type\nco,Int64\nhum,Float64\nroom,\"Dictionary(Int32, Utf8)\"\ntemp,Float64\ntime,\"Timestamp(Nanosecond, None)\"\n");
    }

    [Fact]
    public async Task ShowDatabases_ListsSensors()
    {
        var body = await _server.Http.GetStringAsync("/api/v3/configure/database?format=json");

        body.ShouldBe("[{\"iox::database\":\"_internal\"},{\"iox::database\":\"sensors\"}]");
    }
}

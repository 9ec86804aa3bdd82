using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using InfluxDB3.Client;

namespace Scripting.Server.Tests.Flight;

/// <summary>
/// The official C# client of InfluxDB 3 (<c>InfluxDB3.Client</c> from NuGet), pointed at the server as at
/// InfluxDB 3: it writes over HTTP and queries over Arrow Flight (gRPC) on the same address.
/// </summary>
public sealed class OfficialClientTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(authentication: true);
        _token = await _server.CreateAdminTokenAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private InfluxDBClient Client(string? token = null) => new(_server.Address.ToString().TrimEnd('/'), token: token ?? _token, database: "sensors");

    [Fact]
    public async Task WriteThenQuery_RowsComeBackThroughFlight()
    {
        using var client = Client();
        await client.WriteRecordAsync("home,room=Kitchen temp=21.0,co=0i 1641024000000000000\nhome,room=Living\\ Room temp=21.5,co=2i 1641027600000000000");

        var rows = new List<object?[]>();
        await foreach (var row in client.Query("SELECT room, temp, co, time FROM home ORDER BY time"))
        {
            rows.Add(row);
        }

        rows.Count.ShouldBe(2);
        rows[0][0].ShouldBe("Kitchen");
        rows[0][1].ShouldBe(21.0);
        rows[0][2].ShouldBe(0L);
        rows[1][0].ShouldBe("Living Room");
        rows[1][2].ShouldBe(2L);
    }

    [Fact]
    public async Task QueryPoints_TagsAreTagsAndIntegersIntegers()
    {
        using var client = Client();
        await client.WriteRecordAsync("home,room=Kitchen temp=21.0,co=3i 1641024000000000000");

        var points = new List<InfluxDB3.Client.Write.PointDataValues>();
        await foreach (var point in client.QueryPoints("SELECT * FROM home"))
        {
            points.Add(point);
        }

        points.Count.ShouldBe(1);
        points[0].GetTag("room").ShouldBe("Kitchen");
        points[0].GetField("temp").ShouldBe(21.0);
        points[0].GetField("co").ShouldBe(3L);
    }

    [Fact]
    public async Task InfluxQl_RowsAndPointsThroughFlight()
    {
        using var client = Client();
        await client.WriteRecordAsync("home,room=Kitchen temp=21.0,co=3i 1641024000000000000\nhome,room=Living temp=22.0,co=1i 1641027600000000000");

        var rows = new List<object?[]>();
        await foreach (var row in client.Query("SELECT mean(temp) FROM home GROUP BY room", queryType: InfluxDB3.Client.Query.QueryType.InfluxQL))
        {
            rows.Add(row);
        }

        var points = new List<InfluxDB3.Client.Write.PointDataValues>();
        await foreach (var point in client.QueryPoints("SELECT temp, co FROM home WHERE room = 'Kitchen'", queryType: InfluxDB3.Client.Query.QueryType.InfluxQL))
        {
            points.Add(point);
        }

        rows.Select(r => (r[0], r[2], r[3])).ShouldBe([("home", "Kitchen", 21.0), ("home", "Living", 22.0)]);
        points.Single().GetMeasurement().ShouldBe("home");
        points.Single().GetField("temp").ShouldBe(21.0);
        points.Single().GetField("co").ShouldBe(3L);
    }

    [Fact]
    public async Task Parameters_AreBoundByName()
    {
        using var client = Client();
        await client.WriteRecordAsync("home,room=Kitchen temp=21.0 1641024000000000000\nhome,room=Bath temp=24.0 1641024000000000000");

        var rooms = new List<object?>();
        await foreach (var row in client.Query("SELECT room FROM home WHERE temp > $min", namedParameters: new Dictionary<string, object> { ["min"] = 22 }))
        {
            rooms.Add(row[0]);
        }

        rooms.ShouldBe(["Bath"]);
    }

    [Fact]
    public async Task EmptyResult_IsEmptyNotAnError()
    {
        using var client = Client();
        await client.WriteRecordAsync("home,room=Kitchen temp=21.0 1641024000000000000");

        var rows = new List<object?[]>();
        await foreach (var row in client.Query("SELECT room FROM home WHERE temp > 100"))
        {
            rows.Add(row);
        }

        rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task QueryBatches_StreamArrowBatches()
    {
        using var client = Client();
        await client.WriteRecordAsync(string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"home,room=r{i % 3} temp={i}.5 {1641024000000000000L + i}")));

        long rows = 0;
        await foreach (var batch in client.QueryBatches("SELECT * FROM home"))
        {
            rows += batch.Length;
        }

        rows.ShouldBe(5000);
    }

    [Fact]
    public async Task UnknownDatabase_IsNotFound()
    {
        using var client = new InfluxDBClient(_server.Address.ToString().TrimEnd('/'), token: _token, database: "nope");

        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            await foreach (var _ in client.Query("SELECT 1"))
            {
            }
        });

        error.StatusCode.ShouldBe(StatusCode.NotFound);
        error.Status.Detail.ShouldContain("nope");
    }

    [Fact]
    public async Task PlanningError_IsInvalidArgumentInInfluxDbsWords()
    {
        using var client = Client();
        await client.WriteRecordAsync("home,room=Kitchen temp=21.0 1641024000000000000");

        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            await foreach (var _ in client.Query("SELECT nope FROM home"))
            {
            }
        });

        error.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        error.Status.Detail.ShouldContain("Schema error: No field named nope");
    }

    [Fact]
    public async Task BadToken_IsPermissionDenied()
    {
        using var client = Client("apiv3_not-a-token");

        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            await foreach (var _ in client.Query("SELECT 1"))
            {
            }
        });

        error.StatusCode.ShouldBe(StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task Http1_StillServesTheHttpApiOnTheSamePort()
    {
        _server.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);

        using var written = await _server.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent("home,room=Kitchen temp=21.0 1641024000000000000"));
        var rows = await _server.Http.GetFromJsonAsync<JsonElement>("/api/v3/query_sql?db=sensors&q=select%20count(*)%20as%20n%20from%20home");

        written.IsSuccessStatusCode.ShouldBeTrue();
        rows[0].GetProperty("n").GetInt64().ShouldBe(1);
    }
}

using System.Net;
using System.Text;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;

namespace Scripting.Server.Tests.Flight;

/// <summary>Flight on the HTTP port as InfluxDB 3's clients need it: the ticket, the schema they read, the statuses they show.</summary>
public sealed class FlightProtocolTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private GrpcChannel _channel = null!;
    private FlightClient _flight = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.Address);
        _flight = new FlightClient(_channel);
        (await _server.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent("home,room=Kitchen temp=21.0,co=1i 1641024000000000000"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    private static FlightTicket Ticket(string json) => new(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task DoGet_SchemaMarksTableColumnsWithTheirInfluxDbType()
    {
        using var call = _flight.GetStream(Ticket("""{"database":"sensors","sql_query":"SELECT *, temp * 2 AS doubled FROM home","query_type":"sql"}"""));
        var rows = 0;
        while (await call.ResponseStream.MoveNext())
        {
            rows += call.ResponseStream.Current.Length;
        }

        var schema = await call.ResponseStream.Schema;
        string? Kind(string name) => schema.GetFieldByName(name).Metadata?.GetValueOrDefault("iox::column::type");

        rows.ShouldBe(1);
        Kind("room").ShouldBe("iox::column_type::tag");
        Kind("temp").ShouldBe("iox::column_type::field::float");
        Kind("co").ShouldBe("iox::column_type::field::integer");
        Kind("time").ShouldBe("iox::column_type::timestamp");
        Kind("doubled").ShouldBeNull();
        schema.GetFieldByName("room").DataType.ShouldBeOfType<Apache.Arrow.Types.StringType>();
        schema.GetFieldByName("time").DataType.ShouldBeOfType<Apache.Arrow.Types.TimestampType>().Unit.ShouldBe(Apache.Arrow.Types.TimeUnit.Nanosecond);
    }

    [Fact]
    public async Task DoGet_EmptyResult_StillSendsTheSchema()
    {
        using var call = _flight.GetStream(Ticket("""{"namespace_name":"sensors","sql_query":"SELECT room FROM home WHERE temp > 100"}"""));
        var batches = 0;
        while (await call.ResponseStream.MoveNext())
        {
            batches++;
        }

        (await call.ResponseStream.Schema).FieldsList.Select(f => f.Name).ShouldBe(["room"]);
    }

    [Theory]
    [InlineData("not json", "Invalid ticket. Error:")]
    [InlineData("""{"sql_query":"SELECT 1"}""", "missing field 'database'")]
    [InlineData("""{"database":"sensors","sql_query":"SELECT 1","query_type":"flux"}""", "Unknown query type. Expected 'sql' or 'influxql', got flux")]
    public async Task DoGet_BadTicket_IsInvalidArgument(string ticket, string message)
    {
        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            using var call = _flight.GetStream(Ticket(ticket));
            await call.ResponseStream.MoveNext();
        });

        error.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        error.Status.Detail.ShouldContain(message);
    }

    [Fact]
    public async Task OtherFlightMethods_AreUnimplementedWithAMessage()
    {
        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            using var call = _flight.ListFlights(new FlightCriteria());
            await call.ResponseStream.MoveNext();
        });

        error.StatusCode.ShouldBe(StatusCode.Unimplemented);
        error.Status.Detail.ShouldContain("DoGet");
    }

    [Fact]
    public async Task UnknownGrpcService_IsUnimplementedNotAProtocolError()
    {
        using var http = new HttpClient { BaseAddress = _server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/nope.Service/Method")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.ReadAsByteArrayAsync();

        response.Version.ShouldBe(HttpVersion.Version20);
        var status = response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders.Single()
            : response.TrailingHeaders.GetValues("grpc-status").Single();
        status.ShouldBe(((int)StatusCode.Unimplemented).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

using System.Text;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using static Scripting.Server.Tests.Flight.FlightSqlWire;

namespace Scripting.Server.Tests.Flight;

/// <summary>
/// Flight SQL as Grafana's SQL mode and the ADBC/JDBC drivers use it: GetFlightInfo of a command with the
/// <c>database</c> header, then DoGet of the one endpoint's ticket; prepared statements; the catalog commands.
/// </summary>
public sealed class FlightSqlTests : IAsyncLifetime
{
    private static readonly Metadata Sensors = new() { { "database", "sensors" } };

    private RunningServer _server = null!;
    private GrpcChannel _channel = null!;
    private FlightClient _flight = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.Address);
        _flight = new FlightClient(_channel);
        (await _server.Http.PostAsync("/api/v3/write_lp?db=sensors", new StringContent(
            "home,room=Kitchen temp=21.0,co=1i 1641024000000000000\nhome,room=Living temp=22.5,co=3i 1641027600000000000\nweather,city=Oslo wind=3.5 1641024000000000000"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    private static FlightDescriptor Statement(string sql) => FlightDescriptor.CreateCommandDescriptor(Command("CommandStatementQuery", (1, sql)));

    private async Task<(Schema Schema, List<RecordBatch> Batches)> RunAsync(FlightInfo info, Metadata? headers = null)
    {
        info.Endpoints.Count.ShouldBe(1);
        using var call = _flight.GetStream(info.Endpoints[0].Ticket, headers ?? []);
        var batches = new List<RecordBatch>();
        while (await call.ResponseStream.MoveNext())
        {
            batches.Add(call.ResponseStream.Current);
        }

        return (await call.ResponseStream.Schema, batches);
    }

    private static Schema ReadSchema(byte[] ipc)
    {
        using var reader = new ArrowStreamReader(new MemoryStream(ipc));
        return reader.Schema;
    }

    private static List<string?> Texts(IEnumerable<RecordBatch> batches, string column) =>
        [.. batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((StringArray)b.Column(column)).GetString(i)))];

    [Fact]
    public async Task GrafanaSaveAndTest_Select1ThroughGetFlightInfoThenDoGet()
    {
        var info = await _flight.GetInfo(Statement("select 1"), Sensors);
        var (schema, batches) = await RunAsync(info, []);

        info.Schema.FieldsList.Count.ShouldBe(1);
        info.Descriptor.Command.ShouldBe(Statement("select 1").Command);
        schema.FieldsList.Single().DataType.ShouldBeOfType<Int64Type>();
        batches.Sum(b => b.Length).ShouldBe(1);
        ((Int64Array)batches.First(b => b.Length > 0).Column(0)).GetValue(0).ShouldBe(1);
    }

    [Fact]
    public async Task Statement_SchemaAnnouncedInFlightInfo_MatchesTheStream()
    {
        var info = await _flight.GetInfo(Statement("SELECT room, temp, time FROM home ORDER BY time"), Sensors);
        var (schema, batches) = await RunAsync(info);

        info.Schema.FieldsList.Select(f => f.Name).ShouldBe(["room", "temp", "time"]);
        info.Schema.GetFieldByName("room").DataType.ShouldBeOfType<StringType>();
        info.Schema.GetFieldByName("room").Metadata["iox::column::type"].ShouldBe("iox::column_type::tag");
        info.TotalRecords.ShouldBe(-1);
        schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId)).ShouldBe(info.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId)));
        Texts(batches, "room").ShouldBe(["Kitchen", "Living"]);
    }

    [Fact]
    public async Task ComputedColumns_HaveInfluxDbsTypes_NotTheStoresWidths()
    {
        var info = await _flight.GetInfo(Statement("SELECT sum(co) AS total, count(*) AS n, 2 + 3 AS five, avg(temp) AS mean FROM home"), Sensors);
        var (schema, batches) = await RunAsync(info);
        var row = batches.Single(b => b.Length > 0);

        schema.GetFieldByName("total").DataType.ShouldBeOfType<Int64Type>();
        schema.GetFieldByName("n").DataType.ShouldBeOfType<Int64Type>();
        schema.GetFieldByName("five").DataType.ShouldBeOfType<Int64Type>();
        schema.GetFieldByName("mean").DataType.ShouldBeOfType<DoubleType>();
        ((Int64Array)row.Column("total")).GetValue(0).ShouldBe(4);
        ((Int64Array)row.Column("five")).GetValue(0).ShouldBe(5);
        info.Schema.GetFieldByName("total").DataType.ShouldBeOfType<Int64Type>();
    }

    [Theory]
    [InlineData("bucket")]
    [InlineData("bucket-name")]
    [InlineData("iox-namespace-name")]
    public async Task DatabaseHeaderAliases_NameTheDatabase(string header)
    {
        var info = await _flight.GetInfo(Statement("SELECT count(*) AS n FROM home"), new Metadata { { header, "sensors" } });
        var (_, batches) = await RunAsync(info);

        ((Int64Array)batches.First(b => b.Length > 0).Column(0)).GetValue(0).ShouldBe(2);
    }

    [Fact]
    public async Task NoDatabaseHeader_IsInvalidArgumentInInfluxDbsWords()
    {
        var error = await Should.ThrowAsync<RpcException>(async () => await _flight.GetInfo(Statement("select 1")));

        error.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        error.Status.Detail.ShouldBe("no 'database' header in request");
    }

    [Fact]
    public async Task UnknownDatabaseAndPlanningErrors_FailAtGetFlightInfo()
    {
        var unknown = await Should.ThrowAsync<RpcException>(async () => await _flight.GetInfo(Statement("select 1"), new Metadata { { "database", "nope" } }));
        var planning = await Should.ThrowAsync<RpcException>(async () => await _flight.GetInfo(Statement("SELECT * FROM missing"), Sensors));

        unknown.StatusCode.ShouldBe(StatusCode.NotFound);
        unknown.Status.Detail.ShouldContain("nope");
        planning.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        planning.Status.Detail.ShouldContain("missing");
    }

    [Fact]
    public async Task UpdatesAndUnknownCommands_AreRefusedAsUpstreamDoes()
    {
        var update = FlightDescriptor.CreateCommandDescriptor(Command("CommandStatementUpdate", (1, "DELETE FROM home")));
        var error = await Should.ThrowAsync<RpcException>(async () => await _flight.GetInfo(update, Sensors));

        error.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        error.Status.Detail.ShouldBe("Error while planning Flight SQL : Unsupported FlightSQL message type: type.googleapis.com/arrow.flight.protocol.sql.CommandStatementUpdate");
    }

    [Fact]
    public async Task NotAFlightSqlCommand_IsInvalidArgumentNamingDoGet()
    {
        var error = await Should.ThrowAsync<RpcException>(async () => await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor("SELECT 1"), Sensors));

        error.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        error.Status.Detail.ShouldContain("DoGet");
    }

    [Fact]
    public async Task PreparedStatement_CreateBindRunClose()
    {
        // CreatePreparedStatement: the handle, the result's columns and the parameters.
        var create = new FlightAction("CreatePreparedStatement", Any("ActionCreatePreparedStatementRequest", Message((1, "SELECT temp FROM home WHERE room = $room"))));
        var results = await ReadAllAsync(_flight.DoAction(create, Sensors).ResponseStream);
        var (typeUrl, value) = Unpack(results.Single().Body.Span);
        typeUrl.ShouldBe("type.googleapis.com/arrow.flight.protocol.sql.ActionCreatePreparedStatementResult");
        var prepared = Fields(value);
        var handle = prepared[1];
        ReadSchema(prepared[2]).FieldsList.Select(f => f.Name).ShouldBe(["temp"]);
        ReadSchema(prepared[3]).FieldsList.Select(f => f.Name).ShouldBe(["$room"]);

        // DoPut binds the parameters and answers the handle that carries them.
        var bind = FlightDescriptor.CreateCommandDescriptor(Command("CommandPreparedStatementQuery", (1, handle)));
        var parameters = new RecordBatch(new Schema([new Field("room", StringType.Default, true)], null), [new StringArray.Builder().Append("Living").Build()], 1);
        var put = _flight.StartPut(bind, Sensors);
        await put.RequestStream.WriteAsync(parameters);
        await put.RequestStream.CompleteAsync();
        var putResults = await ReadAllAsync(put.ResponseStream);
        var bound = Fields(putResults.Single().ApplicationMetadata.Span)[1];

        // GetFlightInfo of the bound statement, then DoGet: the row of the bound room.
        var info = await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandPreparedStatementQuery", (1, bound))), Sensors);
        var (_, batches) = await RunAsync(info);
        batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((DoubleArray)b.Column(0)).GetValue(i))).ShouldBe([22.5]);

        // A client that keeps the first handle gets the values bound to it too.
        var kept = await _flight.GetInfo(bind, Sensors);
        (await RunAsync(kept)).Batches.Sum(b => b.Length).ShouldBe(1);

        // Close answers one empty result.
        var close = new FlightAction("ClosePreparedStatement", Any("ActionClosePreparedStatementRequest", Message((1, handle))));
        (await ReadAllAsync(_flight.DoAction(close, Sensors).ResponseStream)).Single().Body.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task PreparedStatement_WithABadQuery_FailsAtCreate()
    {
        var create = new FlightAction("CreatePreparedStatement", Any("ActionCreatePreparedStatementRequest", Message((1, "SELEC nonsense"))));

        var error = await Should.ThrowAsync<RpcException>(async () => await ReadAllAsync(_flight.DoAction(create, Sensors).ResponseStream));

        error.StatusCode.ShouldBe(StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task GetCatalogsAndDbSchemas_ListPublicAndItsSchemas()
    {
        var catalogs = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetCatalogs")), Sensors));
        var schemas = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetDbSchemas")), Sensors));
        var filtered = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetDbSchemas", (1, "public"), (2, "i%"))), Sensors));

        Texts(catalogs.Batches, "catalog_name").ShouldBe(["public"]);
        catalogs.Schema.GetFieldByName("catalog_name").IsNullable.ShouldBeFalse();
        Texts(schemas.Batches, "db_schema_name").ShouldBe(["information_schema", "iox", "system"]);
        Texts(filtered.Batches, "db_schema_name").ShouldBe(["information_schema", "iox"]);
    }

    [Fact]
    public async Task GetTables_FiltersByTypeAndPattern_AndGivesSchemasWhenAsked()
    {
        var tables = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetTables", (4, "BASE TABLE"), (2, "iox"))), Sensors));
        var views = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetTables", (4, "VIEW"))), Sensors));
        var withSchema = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetTables", (3, "h_m%"), (5, true))), Sensors));

        Texts(tables.Batches, "table_name").ShouldBe(["home", "weather"]);
        Texts(tables.Batches, "table_type").ShouldAllBe(t => t == "BASE TABLE");
        Texts(views.Batches, "db_schema_name").ShouldAllBe(s => s == "information_schema");
        Texts(views.Batches, "table_name").ShouldContain("tables");
        Texts(withSchema.Batches, "table_name").ShouldBe(["home"]);
        var table = ReadSchema(((BinaryArray)withSchema.Batches.First(b => b.Length > 0).Column("table_schema")).GetBytes(0).ToArray());
        table.FieldsList.Select(f => f.Name).ShouldBe(["co", "room", "temp", "time"], ignoreOrder: true);
        table.GetFieldByName("room").Metadata["iox::column::type"].ShouldBe("iox::column_type::tag");
        table.GetFieldByName("co").Metadata["iox::column::type"].ShouldBe("iox::column_type::field::integer");
    }

    [Fact]
    public async Task GetTableTypesAndKeys_AnswerInTheSpecificationsShape()
    {
        var types = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetTableTypes")), Sensors));
        var keys = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetPrimaryKeys", (3, "home"))), Sensors));

        Texts(types.Batches, "table_type").ShouldBe(["BASE TABLE", "VIEW"]);
        keys.Schema.FieldsList.Select(f => f.Name).ShouldBe(["catalog_name", "db_schema_name", "table_name", "column_name", "key_name", "key_sequence"]);
        keys.Batches.Sum(b => b.Length).ShouldBe(0);
    }

    [Fact]
    public async Task GetSqlInfo_AnswersTheAskedIdsInADenseUnion()
    {
        var info = await RunAsync(await _flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Command("CommandGetSqlInfo", (1, 3u), (1, 0u), (1, 504u))), Sensors));
        var batch = info.Batches.Single(b => b.Length > 0);
        var names = (UInt32Array)batch.Column("info_name");
        var values = (DenseUnionArray)batch.Column("value");

        Enumerable.Range(0, names.Length).Select(i => names.GetValue(i)).ShouldBe([0u, 3u, 504u]);
        values.TypeIds.ToArray().ShouldBe([(byte)0, (byte)1, (byte)0]);
        ((StringArray)values.Fields[0]).GetString(values.ValueOffsets[0]).ShouldBe("Scripting");
        ((BooleanArray)values.Fields[1]).GetValue(values.ValueOffsets[1]).ShouldBe(true); // read-only
        ((StringArray)values.Fields[0]).GetString(values.ValueOffsets[2]).ShouldBe("\"");
    }

    [Fact]
    public async Task ListActions_NamesThePreparedStatementActions()
    {
        var actions = await ReadAllAsync(_flight.ListActions([]).ResponseStream);

        actions.Select(a => a.Type).ShouldBe(["CreatePreparedStatement", "ClosePreparedStatement"]);
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncStreamReader<T> stream)
    {
        var items = new List<T>();
        while (await stream.MoveNext(CancellationToken.None))
        {
            items.Add(stream.Current);
        }

        return items;
    }
}

using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Scripting.Flight.Sql;

namespace Scripting.Flight;

/// <summary>
/// Flight SQL, as Grafana's SQL mode and the ADBC and JDBC drivers speak it: <c>GetFlightInfo</c> of a
/// command (a statement, a prepared statement, a catalog command) answers one endpoint whose ticket
/// <c>DoGet</c> runs; prepared statements through <c>DoAction</c> and parameters through <c>DoPut</c>;
/// <c>Handshake</c> checks the credentials and hands back the token. The database comes from the
/// <c>database</c> header (or upstream's aliases) and travels in the ticket. Statements are read-only.
/// </summary>
public sealed partial class QueryFlightServer
{
    private const string CreatePreparedStatement = "CreatePreparedStatement";
    private const string ClosePreparedStatement = "ClosePreparedStatement";

    private static readonly string[] DatabaseHeaders = ["database", "bucket", "bucket-name", "iox-namespace-name"];

    private static readonly string Version = typeof(QueryFlightServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private FlightSqlCatalog Catalog => field ??= new FlightSqlCatalog(queries, Schema);

    public override async Task<FlightInfo> GetFlightInfo(FlightDescriptor request, ServerCallContext context)
    {
        Authenticate(context);
        var command = FlightSqlMessages.Command(request.Command)
            ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "GetFlightInfo takes a Flight SQL command (such as CommandStatementQuery); the InfluxDB 3 clients query with DoGet and a JSON ticket"));
        return await Answered(() => InfoAsync(request, command, context), context);
    }

    public override async Task<Schema> GetSchema(FlightDescriptor request, ServerCallContext context) =>
        (await GetFlightInfo(request, context)).Schema;

    private async Task<FlightInfo> InfoAsync(FlightDescriptor descriptor, Any command, ServerCallContext context)
    {
        switch (FlightSqlMessages.Name(command))
        {
            case nameof(CommandStatementQuery):
            {
                var statement = FlightSqlMessages.Unpack<CommandStatementQuery>(command);
                return await StatementInfoAsync(descriptor, Database(context), statement.Query, new Dictionary<string, object?>(), context);
            }

            case nameof(CommandPreparedStatementQuery):
            {
                var (database, query, parameters) = prepared.Open(FlightSqlMessages.Unpack<CommandPreparedStatementQuery>(command).PreparedStatementHandle);
                return await StatementInfoAsync(descriptor, database, query, parameters, context);
            }

            case nameof(CommandGetCatalogs):
                return CatalogInfo(descriptor, command, FlightSqlCatalog.CatalogsSchema, context);
            case nameof(CommandGetDbSchemas):
                return CatalogInfo(descriptor, command, FlightSqlCatalog.DbSchemasSchema, context);
            case nameof(CommandGetTables):
                return CatalogInfo(descriptor, command, FlightSqlCatalog.TablesSchema(FlightSqlMessages.Unpack<CommandGetTables>(command).IncludeSchema), context);
            case nameof(CommandGetTableTypes):
                return CatalogInfo(descriptor, command, FlightSqlCatalog.TableTypesSchema, context);
            case nameof(CommandGetSqlInfo):
                return CatalogInfo(descriptor, command, SqlInfo.Schema, context);
            case nameof(CommandGetPrimaryKeys):
                return CatalogInfo(descriptor, command, FlightSqlCatalog.PrimaryKeysSchema, context);
            case nameof(CommandGetExportedKeys) or nameof(CommandGetImportedKeys) or nameof(CommandGetCrossReference):
                return CatalogInfo(descriptor, command, FlightSqlCatalog.ForeignKeysSchema, context);
            default:
                throw Unsupported(command);
        }
    }

    /// <summary>Plans the statement (so a bad query fails here), and announces its columns and the ticket that runs it.</summary>
    private async Task<FlightInfo> StatementInfoAsync(FlightDescriptor descriptor, string database, string query, IReadOnlyDictionary<string, object?> parameters, ServerCallContext context)
    {
        Schema schema;
        await using (var described = await queries.DescribeAsync(database, query, parameters, context.CancellationToken))
        {
            schema = described is null ? new Schema([], null) : Schema(described, database);
        }

        var handle = QueryTicket.Encode(new QueryTicket(database, query, "sql", parameters));
        return Info(descriptor, schema, handle);
    }

    private FlightInfo CatalogInfo(FlightDescriptor descriptor, Any command, Schema schema, ServerCallContext context)
    {
        var database = Database(context);
        if (catalog.FindReadable(database) is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"query error: database not found: {database}"));
        }

        return Info(descriptor, schema, CatalogTicket.Encode(database, command));
    }

    private static FlightInfo Info(FlightDescriptor descriptor, Schema schema, ByteString handle)
    {
        var ticket = new FlightTicket(FlightSqlMessages.Packed(new TicketStatementQuery { StatementHandle = handle }));
        return new FlightInfo(schema, descriptor, [new FlightEndpoint(ticket, [])], -1, -1);
    }

    /// <summary>DoGet of a ticket GetFlightInfo returned: a statement's query, or a catalog command.</summary>
    private async Task DoGetFlightSqlAsync(Any command, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        if (FlightSqlMessages.Name(command) != nameof(TicketStatementQuery))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"DoGet takes the ticket GetFlightInfo returned, not {FlightSqlMessages.Name(command)}"));
        }

        var handle = FlightSqlMessages.Unpack<TicketStatementQuery>(command).StatementHandle;
        if (CatalogTicket.Decode(handle) is not { } catalogCommand)
        {
            await StreamAsync(QueryTicket.Parse(handle.Span), responseStream, context);
            return;
        }

        var batch = await Answered(() => CatalogBatchAsync(catalogCommand.Database, catalogCommand.Command, context.CancellationToken), context);
        using (batch)
        {
            await responseStream.SetupStream(batch.Schema);
            await responseStream.WriteAsync(batch);
        }
    }

    private async Task<RecordBatch> CatalogBatchAsync(string database, Any command, CancellationToken cancellationToken) => FlightSqlMessages.Name(command) switch
    {
        nameof(CommandGetCatalogs) => await Catalog.CatalogsAsync(database, cancellationToken),
        nameof(CommandGetDbSchemas) => await Catalog.DbSchemasAsync(database, FlightSqlMessages.Unpack<CommandGetDbSchemas>(command), cancellationToken),
        nameof(CommandGetTables) => await Catalog.TablesAsync(database, FlightSqlMessages.Unpack<CommandGetTables>(command), cancellationToken),
        nameof(CommandGetTableTypes) => FlightSqlCatalog.TableTypesBatch(),
        nameof(CommandGetSqlInfo) => SqlInfo.Batch([.. FlightSqlMessages.Unpack<CommandGetSqlInfo>(command).Info], Version, queries.Limits.Timeout),
        nameof(CommandGetPrimaryKeys) => FlightSqlCatalog.Empty(FlightSqlCatalog.PrimaryKeysSchema),
        nameof(CommandGetExportedKeys) or nameof(CommandGetImportedKeys) or nameof(CommandGetCrossReference) => FlightSqlCatalog.Empty(FlightSqlCatalog.ForeignKeysSchema),
        _ => throw Unsupported(command),
    };

    public override async Task DoAction(FlightAction request, IAsyncStreamWriter<FlightResult> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        switch (request.Type)
        {
            case CreatePreparedStatement:
            {
                var create = FlightSqlMessages.Command(request.Body) is { } body && FlightSqlMessages.Name(body) == nameof(ActionCreatePreparedStatementRequest)
                    ? FlightSqlMessages.Unpack<ActionCreatePreparedStatementRequest>(body)
                    : throw new RpcException(new Status(StatusCode.InvalidArgument, "CreatePreparedStatement takes an ActionCreatePreparedStatementRequest"));
                var result = await Answered(() => PrepareAsync(Database(context), create.Query, context), context);
                await responseStream.WriteAsync(new FlightResult(FlightSqlMessages.Packed(result)));
                break;
            }

            case ClosePreparedStatement:
            {
                var close = FlightSqlMessages.Command(request.Body) is { } body && FlightSqlMessages.Name(body) == nameof(ActionClosePreparedStatementRequest)
                    ? FlightSqlMessages.Unpack<ActionClosePreparedStatementRequest>(body)
                    : throw new RpcException(new Status(StatusCode.InvalidArgument, "ClosePreparedStatement takes an ActionClosePreparedStatementRequest"));
                prepared.Close(close.PreparedStatementHandle);
                await responseStream.WriteAsync(new FlightResult(ByteString.Empty));
                break;
            }

            default:
                throw new RpcException(new Status(StatusCode.Unimplemented, $"action '{request.Type}' is not supported: the actions are {CreatePreparedStatement} and {ClosePreparedStatement}"));
        }
    }

    private async Task<ActionCreatePreparedStatementResult> PrepareAsync(string database, string query, ServerCallContext context)
    {
        var parameters = queries.ParameterNames(database, query);
        var result = new ActionCreatePreparedStatementResult
        {
            PreparedStatementHandle = PreparedStatements.Create(database, query),
            ParameterSchema = ByteString.CopyFrom(FlightSqlCatalog.SchemaBytes(new Schema(parameters.Select(p => new Apache.Arrow.Field("$" + p, Apache.Arrow.Types.NullType.Default, nullable: true)), null))),
        };
        await using (var described = await queries.DescribeAsync(database, query, new Dictionary<string, object?>(), context.CancellationToken))
        {
            if (described is not null)
            {
                result.DatasetSchema = ByteString.CopyFrom(FlightSqlCatalog.SchemaBytes(Schema(described, database)));
            }
        }

        return result;
    }

    public override Task ListActions(IAsyncStreamWriter<FlightActionType> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        return WriteActionsAsync(responseStream);
    }

    private static async Task WriteActionsAsync(IAsyncStreamWriter<FlightActionType> responseStream)
    {
        await responseStream.WriteAsync(new FlightActionType(CreatePreparedStatement, "Prepare a SQL statement: body ActionCreatePreparedStatementRequest"));
        await responseStream.WriteAsync(new FlightActionType(ClosePreparedStatement, "Close a prepared statement: body ActionClosePreparedStatementRequest"));
    }

    /// <summary>Flight SQL's parameter binding: the first row of the batch the client puts binds the prepared statement's parameters.</summary>
    public override async Task DoPut(FlightServerRecordBatchStreamReader requestStream, IAsyncStreamWriter<FlightPutResult> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        var descriptor = await requestStream.FlightDescriptor;
        var command = FlightSqlMessages.Command(descriptor.Command);
        switch (command is null ? null : FlightSqlMessages.Name(command))
        {
            case nameof(CommandPreparedStatementQuery):
            {
                var handle = FlightSqlMessages.Unpack<CommandPreparedStatementQuery>(command!).PreparedStatementHandle;
                var (database, query, _) = prepared.Open(handle);
                RecordBatch? first = null;
                while (await requestStream.MoveNext(context.CancellationToken))
                {
                    first ??= requestStream.Current;
                }

                var names = await Answered(() => Task.FromResult(queries.ParameterNames(database, query)), context);
                var bound = prepared.Bind(handle, names, first);
                await responseStream.WriteAsync(new FlightPutResult(new DoPutPreparedStatementResult { PreparedStatementHandle = bound }.ToByteString()));
                break;
            }

            case null:
                throw Unimplemented("DoPut (write line protocol to /api/v3/write_lp)");
            default:
                throw Unsupported(command!);
        }
    }

    /// <summary>Flight's handshake: checks the credentials in the metadata and answers the token as <c>authorization: Bearer</c>, as Flight SQL drivers expect.</summary>
    public override async Task Handshake(IAsyncStreamReader<FlightHandshakeRequest> requestStream, IAsyncStreamWriter<FlightHandshakeResponse> responseStream, ServerCallContext context)
    {
        var token = Authenticate(context);
        if (token is not null)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "authorization", $"Bearer {token}" } });
        }

        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(new FlightHandshakeResponse(requestStream.Current.Payload, requestStream.Current.ProtocolVersion));
        }
    }

    /// <summary>The database a Flight SQL call names in its metadata.</summary>
    private static string Database(ServerCallContext context) =>
        DatabaseHeaders.Select(h => context.RequestHeaders.GetValue(h)).FirstOrDefault(d => !string.IsNullOrEmpty(d))
        ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "no 'database' header in request"));

    /// <summary>A Flight SQL message this server does not take (updates, ingest, transactions, Substrait), in InfluxDB 3's words.</summary>
    private static RpcException Unsupported(Any command) =>
        new(new Status(StatusCode.InvalidArgument, $"Error while planning Flight SQL : Unsupported FlightSQL message type: {command.TypeUrl}"));
}

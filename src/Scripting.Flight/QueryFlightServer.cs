using System.Text;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Apache.Arrow.Types;
using Grpc.Core;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Security;
using Scripting.Query;

namespace Scripting.Flight;

/// <summary>How the Flight service authenticates: as the HTTP API does.</summary>
public sealed record FlightSettings(bool WithoutAuth);

/// <summary>
/// Arrow Flight as InfluxDB 3's client libraries call it: <c>DoGet</c> with a JSON ticket
/// (<see cref="QueryTicket"/>), authenticated by the <c>authorization</c> metadata as HTTP is, answered by the
/// same query layer and limits as <c>/api/v3/query_sql</c>, streamed batch by batch as the query produces
/// them: the schema first (even for no rows), tags as plain text, every table column marked with its
/// InfluxDB column type (<c>iox::column::type</c>). Errors are gRPC statuses with upstream's codes.
/// </summary>
public sealed class QueryFlightServer(QueryLayer queries, SchemaCatalog catalog, TokenStore tokens, FlightSettings settings) : FlightServer
{
    private const string ColumnTypeKey = "iox::column::type";

    public override async Task DoGet(FlightTicket ticket, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        Authenticate(context);
        var query = QueryTicket.Parse(ticket.Ticket.Span);
        if (query.QueryType == "influxql")
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "InfluxQL over Flight is not supported yet: send query_type 'sql'"));
        }

        try
        {
            await using var cursor = await queries.OpenAsync(query.Database, query.Query, query.Parameters, null, context.CancellationToken);
            var schema = Schema(cursor, query.Database);
            await responseStream.SetupStream(schema);
            while (await cursor.ReadNextAsync() is { } batch)
            {
                using (batch)
                {
                    await responseStream.WriteAsync(Batch(batch, schema));
                }
            }
        }
        catch (ScriptingException error)
        {
            throw new RpcException(new Status(Code(error.Kind), error.Message));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the query was cancelled by the client"));
        }
    }

    public override Task Handshake(IAsyncStreamReader<FlightHandshakeRequest> requestStream, IAsyncStreamWriter<FlightHandshakeResponse> responseStream, ServerCallContext context) =>
        throw Unimplemented("Handshake");

    public override Task<FlightInfo> GetFlightInfo(FlightDescriptor request, ServerCallContext context) => throw Unimplemented("GetFlightInfo");

    public override Task<Schema> GetSchema(FlightDescriptor request, ServerCallContext context) => throw Unimplemented("GetSchema");

    public override Task DoPut(FlightServerRecordBatchStreamReader requestStream, IAsyncStreamWriter<FlightPutResult> responseStream, ServerCallContext context) =>
        throw Unimplemented("DoPut (write line protocol to /api/v3/write_lp)");

    public override Task DoAction(FlightAction request, IAsyncStreamWriter<FlightResult> responseStream, ServerCallContext context) => throw Unimplemented("DoAction");

    public override Task ListActions(IAsyncStreamWriter<FlightActionType> responseStream, ServerCallContext context) => throw Unimplemented("ListActions");

    public override Task ListFlights(FlightCriteria request, IAsyncStreamWriter<FlightInfo> responseStream, ServerCallContext context) => throw Unimplemented("ListFlights");

    public override Task DoExchange(FlightServerRecordBatchStreamReader requestStream, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context) =>
        throw Unimplemented("DoExchange");

    private static RpcException Unimplemented(string method) => new(new Status(StatusCode.Unimplemented, $"{method} is not implemented: query with DoGet and a JSON ticket"));

    /// <summary>A token in the <c>authorization</c> metadata (Bearer, Token or Basic), as the HTTP API takes it.</summary>
    private void Authenticate(ServerCallContext context)
    {
        if (settings.WithoutAuth)
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the request was not authenticated: send 'authorization: Bearer <token>'"));
        }

        var parts = header.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var token = parts.Length != 2 ? null : parts[0].ToLowerInvariant() switch
        {
            "bearer" or "token" => parts[1],
            "basic" => Password(parts[1]),
            _ => null,
        };
        if (token is null || tokens.Authenticate(token) is null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the token is not valid"));
        }
    }

    private static string? Password(string encoded)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? decoded : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The result's schema as InfluxDB 3 sends it: table columns carry their InfluxDB column type.</summary>
    private Schema Schema(QueryCursor cursor, string database)
    {
        var tables = catalog.FindReadable(database)?.Tables.Values ?? [];
        var columns = new Dictionary<string, ColumnType>(StringComparer.Ordinal) { ["time"] = ColumnType.Time };
        foreach (var column in tables.SelectMany(t => t.Columns))
        {
            columns.TryAdd(column.Name, column.Type);
        }

        var fields = cursor.Schema.FieldsList.Select(f =>
        {
            var type = f.DataType is StringViewType or LargeStringType ? StringType.Default : f.DataType;
            var metadata = columns.TryGetValue(f.Name, out var kind) && cursor.Sources.Contains(f.Name)
                ? new Dictionary<string, string> { [ColumnTypeKey] = ColumnTypes.IoxName(kind) }
                : null;
            return new Field(f.Name, type, f.IsNullable, metadata);
        });
        return new Schema(fields, null);
    }

    private static RecordBatch Batch(RecordBatch batch, Schema schema)
    {
        var arrays = new IArrowArray[batch.ColumnCount];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = batch.Column(i) switch
            {
                StringViewArray view => Plain(view),
                var array => array,
            };
        }

        return new RecordBatch(schema, arrays, batch.Length);
    }

    private static StringArray Plain(StringViewArray view)
    {
        var builder = new StringArray.Builder();
        for (var i = 0; i < view.Length; i++)
        {
            if (view.IsNull(i))
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(view.GetString(i));
            }
        }

        return builder.Build();
    }

    private static StatusCode Code(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.TooLarge or ErrorKind.Unprocessable => StatusCode.ResourceExhausted,
        ErrorKind.BadRequest => StatusCode.InvalidArgument,
        ErrorKind.Timeout => StatusCode.DeadlineExceeded,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}

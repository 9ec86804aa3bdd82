using System.Text;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Apache.Arrow.Types;
using Grpc.Core;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Security;
using Scripting.Flight.Sql;
using Scripting.InfluxQL;
using Scripting.Query;

namespace Scripting.Flight;

/// <summary>How the Flight service authenticates (as the HTTP API does), and how often a long query's stream shows it is alive.</summary>
public sealed record FlightSettings(bool WithoutAuth)
{
    /// <summary>InfluxDB 3's interval: an empty batch every 5 s while a query has nothing to send.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Arrow Flight as InfluxDB 3's client libraries call it: <c>DoGet</c> with a JSON ticket
/// (<see cref="QueryTicket"/>), authenticated by the <c>authorization</c> metadata as HTTP is, answered by the
/// same query layer and limits as <c>/api/v3/query_sql</c>, streamed batch by batch as the query produces
/// them: the schema first (even for no rows), tags as plain text, every table column marked with its
/// InfluxDB column type (<c>iox::column::type</c>). Errors are gRPC statuses with upstream's codes.
/// </summary>
public sealed partial class QueryFlightServer(QueryLayer queries, SchemaCatalog catalog, TokenStore tokens, FlightSettings settings, TimeProvider time, PreparedStatements prepared, InfluxQlLayer influxql) : FlightServer
{
    private const string ColumnTypeKey = "iox::column::type";

    public override async Task DoGet(FlightTicket ticket, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        Authenticate(context);
        if (FlightSqlMessages.Command(ticket.Ticket) is { } command)
        {
            await DoGetFlightSqlAsync(command, responseStream, context);
            return;
        }

        await StreamAsync(QueryTicket.Parse(ticket.Ticket.Span), responseStream, context);
    }

    /// <summary>Runs the query and streams its result: the schema, then each batch as the query produces it.</summary>
    private async Task StreamAsync(QueryTicket query, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        if (query.QueryType == "influxql")
        {
            await StreamInfluxQlAsync(query, responseStream, context);
            return;
        }

        await Answered(async () =>
        {
            var opening = queries.OpenAsync(query.Database, query.Query, query.Parameters, null, context.CancellationToken);
            var announced = await AnnounceWhileOpeningAsync(opening, query, responseStream, context);
            await using var cursor = await opening;
            var schema = Schema(cursor, query.Database);
            if (announced is null)
            {
                await responseStream.SetupStream(schema);
            }

            var keepAlive = EmptyBatches.For(schema);
            while (await NextAsync(cursor, keepAlive, responseStream, context.CancellationToken) is { } batch)
            {
                using (batch)
                {
                    await responseStream.WriteAsync(Batch(batch, schema));
                }
            }

            return true;
        }, context);
    }

    /// <summary>
    /// A query the store computes before it streams anything (an aggregate over many rows) opens late: past
    /// the keep-alive interval, its columns are announced from a description of it (no rows computed), and
    /// empty batches follow until it opens. Returns the announced schema, or null when it opened in time.
    /// </summary>
    private async Task<Schema?> AnnounceWhileOpeningAsync(Task<QueryCursor> opening, QueryTicket query, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        if (await Waited(opening, context.CancellationToken))
        {
            return null;
        }

        Schema? announced;
        try
        {
            await using var described = await queries.DescribeAsync(query.Database, query.Query, query.Parameters, context.CancellationToken, gated: false);
            announced = described is null ? null : Schema(described, query.Database);
        }
        catch (ScriptingException)
        {
            return null; // the query's own error comes from opening it
        }

        if (announced is null || opening.IsCompleted)
        {
            return null;
        }

        await responseStream.SetupStream(announced);
        var keepAlive = EmptyBatches.For(announced);
        while (keepAlive is not null && !await Waited(opening, context.CancellationToken))
        {
            await responseStream.WriteAsync(keepAlive);
        }

        return announced;
    }

    /// <summary>True when <paramref name="work"/> ends within the keep-alive interval.</summary>
    private async Task<bool> Waited(Task work, CancellationToken cancellationToken)
    {
        if (work.IsCompleted)
        {
            return true;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var finished = await Task.WhenAny(work, Task.Delay(settings.KeepAlive, time, stop.Token)) == work;
        await stop.CancelAsync();
        return finished;
    }

    /// <summary>
    /// The query's next batch; while the query computes it, an empty batch every
    /// <see cref="FlightSettings.KeepAlive"/>, as InfluxDB 3 sends, so proxies and clients do not give up on
    /// a long query that has nothing to send yet.
    /// </summary>
    private async ValueTask<RecordBatch?> NextAsync(QueryCursor cursor, RecordBatch? keepAlive, FlightServerRecordBatchStreamWriter responseStream, CancellationToken cancellationToken)
    {
        var next = cursor.ReadNextAsync();
        if (next.IsCompleted || keepAlive is null)
        {
            return await next;
        }

        var pending = next.AsTask();
        while (!await Waited(pending, cancellationToken))
        {
            await responseStream.WriteAsync(keepAlive);
        }

        return await pending;
    }

    /// <summary>An InfluxQL ticket: the statements' series as one table, <c>iox::measurement</c> first; a statement's error fails the call.</summary>
    private async Task StreamInfluxQlAsync(QueryTicket query, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        if (catalog.FindReadable(query.Database) is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"query error: database not found: {query.Database}"));
        }

        var results = await Answered(() => influxql.RunAsync(query.Database, query.Query, context.CancellationToken), context);
        if (results.FirstOrDefault(r => r.Error is not null) is { Error: { } error })
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error));
        }

        using var batch = ResultTable.Of([.. results.SelectMany(r => r.Series)]);
        await responseStream.SetupStream(batch.Schema);
        if (batch.Length > 0)
        {
            await responseStream.WriteAsync(batch);
        }
    }

    /// <summary>Runs <paramref name="work"/> with the query layer's errors as gRPC statuses with InfluxDB 3's codes.</summary>
    private static async Task<T> Answered<T>(Func<Task<T>> work, ServerCallContext context)
    {
        try
        {
            return await work();
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

    public override Task ListFlights(FlightCriteria request, IAsyncStreamWriter<FlightInfo> responseStream, ServerCallContext context) => throw Unimplemented("ListFlights");

    public override Task DoExchange(FlightServerRecordBatchStreamReader requestStream, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context) =>
        throw Unimplemented("DoExchange");

    private static RpcException Unimplemented(string method) => new(new Status(StatusCode.Unimplemented, $"{method} is not implemented: query with DoGet and a JSON ticket, or with Flight SQL"));

    /// <summary>A token in the <c>authorization</c> metadata (Bearer, Token or Basic), as the HTTP API takes it; returns it (null without authentication).</summary>
    private string? Authenticate(ServerCallContext context)
    {
        if (settings.WithoutAuth)
        {
            return null;
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

        return token;
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

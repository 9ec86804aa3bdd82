using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;

namespace Scripting.Client;

/// <summary>
/// Queries over Arrow Flight, as InfluxDB 3's clients send them (DoGet with a JSON ticket, the token in the
/// <c>authorization</c> metadata): the result arrives in Arrow record batches as the server produces them.
/// </summary>
public sealed class ScriptingFlightClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly FlightClient _flight;
    private readonly Metadata _headers = [];

    public ScriptingFlightClient(Uri host, string? token = null, HttpMessageHandler? handler = null)
    {
        _channel = GrpcChannel.ForAddress(host, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = null,
        });
        _flight = new FlightClient(_channel);
        if (!string.IsNullOrEmpty(token))
        {
            _headers.Add("authorization", $"Bearer {token}");
        }
    }

    /// <summary>The result's batches; <paramref name="schema"/> is told the result's schema before the first.</summary>
    public async IAsyncEnumerable<RecordBatch> QueryAsync(string database, string sql, Action<Schema> schema, IReadOnlyDictionary<string, object?>? parameters = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ticket = new FlightTicket(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["database"] = database,
            ["sql_query"] = sql,
            ["query_type"] = "sql",
            ["params"] = parameters ?? new Dictionary<string, object?>(),
        }));
        using var call = _flight.GetStream(ticket, _headers, null, cancellationToken);
        var announced = false;
        while (await Next(call, cancellationToken))
        {
            if (!announced)
            {
                schema(await call.ResponseStream.Schema);
                announced = true;
            }

            if (call.ResponseStream.Current.Length > 0)
            {
                yield return call.ResponseStream.Current;
            }
        }

        if (!announced)
        {
            schema(await call.ResponseStream.Schema);
        }
    }

    private static async Task<bool> Next(FlightRecordBatchStreamingCall call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ResponseStream.MoveNext(cancellationToken);
        }
        catch (RpcException error) when (error.Status.DebugException is HttpRequestException unreachable)
        {
            throw unreachable; // the connection failed (refused, TLS): said as the HTTP client says it
        }
        catch (RpcException error) when (error.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw new ScriptingClientException(HttpStatusFor(error.StatusCode), error.StatusCode.ToString(), error.Status.Detail);
        }
    }

    /// <summary>The HTTP status that says what a gRPC status says, for one kind of client error.</summary>
    private static HttpStatusCode HttpStatusFor(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => HttpStatusCode.BadRequest,
        StatusCode.Unauthenticated => HttpStatusCode.Unauthorized,
        StatusCode.PermissionDenied => HttpStatusCode.Forbidden,
        StatusCode.NotFound => HttpStatusCode.NotFound,
        StatusCode.DeadlineExceeded => HttpStatusCode.GatewayTimeout,
        StatusCode.ResourceExhausted => HttpStatusCode.TooManyRequests,
        StatusCode.Unimplemented => HttpStatusCode.NotImplemented,
        StatusCode.Unavailable => HttpStatusCode.ServiceUnavailable,
        _ => HttpStatusCode.InternalServerError,
    };

    public void Dispose() => _channel.Dispose();
}

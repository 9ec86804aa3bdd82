using System.Diagnostics;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Scripting.Query;
using Scripting.Query.Limits;
using Scripting.Server.Hosting;
using Scripting.Server.Tests.Endpoints;

namespace Scripting.Server.Tests.Flight;

/// <summary>
/// Flight queries under the query layer's limits: a client that cancels stops the query, the timeout
/// applies, results stream as they are produced, and a long query's stream shows it is alive. They load the
/// CPU, so they run alone, after the tests that run in parallel.
/// </summary>
[Collection(nameof(MeasuringAlone))]
public sealed class FlightLimitTests : IAsyncLifetime
{
    /// <summary>A cross join of 4·10^10 pairs: minutes of work unless stopped.</summary>
    private const string Heavy = "select sum(a.range * b.range) as s from range(200000) a, range(200000) b";

    /// <summary>Rows without end in practice.</summary>
    private const string Endless = "select a.range as i, 'row' as s from range(100000000) a";

    private RunningServer _server = null!;
    private GrpcChannel _channel = null!;
    private FlightClient _flight = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new ServerOptions
        {
            QueryLimits = new QueryLimits { Timeout = TimeSpan.FromSeconds(30), MaxConcurrent = 2 },
            FlightKeepAlive = TimeSpan.FromMilliseconds(100),
        });
        _channel = GrpcChannel.ForAddress(_server.Address);
        _flight = new FlightClient(_channel);
        (await _server.Http.PostAsync("/api/v3/write_lp?db=db", new StringContent("m,host=a v=1i 1742198400000000000"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    private static FlightTicket Ticket(string sql) =>
        new(Encoding.UTF8.GetBytes($$"""{"database":"db","sql_query":"{{sql}}","query_type":"sql"}"""));

    private QueryLayer Layer => _server.Services.GetRequiredService<QueryLayer>();

    [Fact]
    public async Task ClientCancels_TheQueryStops()
    {
        using var cancel = new CancellationTokenSource();
        using var call = _flight.GetStream(Ticket(Heavy), [], null, cancel.Token);
        var reading = call.ResponseStream.MoveNext(cancel.Token);
        var started = Stopwatch.StartNew();
        while (Layer.Running == 0)
        {
            started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
            await Task.Delay(20);
        }

        await cancel.CancelAsync();

        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            while (await reading)
            {
                reading = call.ResponseStream.MoveNext(cancel.Token);
            }
        });
        error.StatusCode.ShouldBe(StatusCode.Cancelled);
        await _server.WaitUntilNoQueryRunsAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task LongQuery_SendsEmptyBatchesUntilItsResult()
    {
        using var call = _flight.GetStream(Ticket("select sum(a.range * b.range)::BIGINT as s from range(20000) a, range(20000) b"));
        var batches = new List<RecordBatch>();
        while (await call.ResponseStream.MoveNext())
        {
            batches.Add(call.ResponseStream.Current);
        }

        batches.Count(b => b.Length == 0).ShouldBeGreaterThan(0, "no keep-alive while the query computed");
        var result = batches.Single(b => b.Length > 0);
        ((Int64Array)result.Column(0)).GetValue(0).ShouldBe(199_990_000L * 199_990_000L);
    }

    [Fact]
    public async Task LargeResult_StreamsBeforeItEnds()
    {
        using var cancel = new CancellationTokenSource();
        using var call = _flight.GetStream(Ticket(Endless), [], null, cancel.Token);
        var elapsed = Stopwatch.StartNew();
        var rows = 0L;
        while (rows < 100_000 && await call.ResponseStream.MoveNext(cancel.Token))
        {
            rows += call.ResponseStream.Current.Length;
        }

        elapsed.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "the first rows waited for the whole result");
        rows.ShouldBeGreaterThanOrEqualTo(100_000);
        await cancel.CancelAsync();
        await _server.WaitUntilNoQueryRunsAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ServerTimeout_IsDeadlineExceeded()
    {
        await using var strict = await RunningServer.StartAsync(new ServerOptions { QueryLimits = new QueryLimits { Timeout = TimeSpan.FromMilliseconds(500) } });
        (await strict.Http.PostAsync("/api/v3/write_lp?db=db", new StringContent("m,host=a v=1i 1742198400000000000"))).EnsureSuccessStatusCode();
        using var channel = GrpcChannel.ForAddress(strict.Address);
        var flight = new FlightClient(channel);

        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            using var call = flight.GetStream(Ticket(Heavy));
            while (await call.ResponseStream.MoveNext())
            {
            }
        });

        error.StatusCode.ShouldBe(StatusCode.DeadlineExceeded);
        error.Status.Detail.ShouldNotBeNullOrWhiteSpace();
    }
}

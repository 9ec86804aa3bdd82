using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Net.Client;

/// <summary>
/// Query latency side by side: the same queries against several servers in one run, alternating, medians
/// and ratios to the first. And large exports: time to the first byte, total time, the server's peak RSS.
/// </summary>
internal static class QueryBenchmarks
{
    /// <summary>The 10 M-row <c>home</c> table of the ingest mode: timestamps from 1,700,000,000 s, one a second, rooms alternating.</summary>
    private static readonly (string Name, string Sql)[] Suite =
    [
        ("trivial", "select 1"),
        ("seed time range", "select * from home where time > 1700000000 and time < 1700000020"),
        ("seed avg by room", "select room, avg(temp) from home group by room"),
        ("narrow window, one room (1,000 rows)", "select * from home where room = 'Kitchen' and time >= 1705000000 and time < 1705002000"),
        ("last value per room", "select room, temp, time from (select room, temp, time, row_number() over (partition by room order by time desc) as r from home) where r = 1"),
        ("last value, one room", "select temp, time from home where room = 'Kitchen' order by time desc limit 1"),
        ("count(*)", "select count(*) from home"),
        ("GROUP BY room: count, avg, max", "select room, count(*), avg(temp), max(hum) from home group by room"),
        ("date_bin 1h GROUP BY", "select date_bin(interval '1 hour', time) as h, avg(temp) from home group by h"),
        ("date_bin 1h GROUP BY room, time range", "select date_bin(interval '1 hour', time) as h, room, avg(temp), max(hum) from home where time >= 1700000000 and time < 1710000000 group by 1, room"),
        ("date_bin_gapfill 1h, locf", "select date_bin_gapfill(interval '1 hour', time) as h, room, locf(avg(temp)) from home where time >= 1700000000 and time < 1710000000 group by 1, room"),
        ("date_bin_gapfill 1m, interpolate", "select date_bin_gapfill(interval '1 minute', time) as m, interpolate(avg(temp)) from home where time >= 1700000000 and time < 1710000000 group by 1"),
        ("integer cast and division", "select room, sum(cast(temp as bigint) / 2) from home group by room"),
    ];

    public static async Task QueriesAsync(Dictionary<string, string> options)
    {
        var targets = options.GetValueOrDefault("--urls", "http://127.0.0.1:8282").Split(',');
        var labels = options.GetValueOrDefault("--labels", string.Join(',', targets)).Split(',');
        var database = options.GetValueOrDefault("--database", "bench");
        var runs = int.Parse(options.GetValueOrDefault("--runs", "15"), CultureInfo.InvariantCulture);
        var clients = targets.Select(t => new HttpClient { BaseAddress = new Uri(t), Timeout = TimeSpan.FromMinutes(5) }).ToArray();
        Console.WriteLine($"| query | {string.Join(" | ", labels.Select(l => l + " median ms"))} | {string.Join(" | ", labels.Skip(1).Select(l => $"{l} / {labels[0]}"))} |");
        Console.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---|", labels.Length * 2 - 1))}");
        foreach (var (name, sql) in Suite)
        {
            var timings = clients.Select(_ => new List<double>()).ToArray();
            var url = $"/api/v3/query_sql?db={database}&format=json&q={Uri.EscapeDataString(sql)}";

            // A server that cannot answer the query (an older build) is shown as n/a.
            var answers = new bool[clients.Length];
            for (var c = 0; c < clients.Length; c++)
            {
                using var warm = await clients[c].GetAsync(url);
                answers[c] = warm.IsSuccessStatusCode;
            }

            for (var run = 0; run < runs; run++)
            {
                for (var c = 0; c < clients.Length; c++)
                {
                    if (!answers[c])
                    {
                        continue;
                    }

                    var clock = Stopwatch.StartNew();
                    using var response = await clients[c].GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    timings[c].Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            var medians = timings.Select(t => t.Count == 0 ? double.NaN : Median(t)).ToArray();
            static string Shown(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);
            Console.WriteLine($"| {name} | {string.Join(" | ", medians.Select(m => Shown(m, "0.00")))} | {string.Join(" | ", medians.Skip(1).Select(m => Shown(m / medians[0], "0.00x")))} |");
        }
    }

    /// <summary>The suite's questions in InfluxQL, for InfluxDB 1.6.7 holding the same points (loaded with <c>--v1 true</c>).</summary>
    private static readonly (string Name, string InfluxQl)[] InfluxQlSuite =
    [
        ("seed time range", "SELECT * FROM home WHERE time > 1700000000s AND time < 1700000020s"),
        ("seed avg by room", "SELECT mean(temp) FROM home GROUP BY room"),
        ("narrow window, one room (1,000 rows)", "SELECT * FROM home WHERE room = 'Kitchen' AND time >= 1705000000s AND time < 1705002000s"),
        ("last value per room", "SELECT last(temp) FROM home GROUP BY room"),
        ("last value, one room", "SELECT last(temp) FROM home WHERE room = 'Kitchen'"),
        ("count(*)", "SELECT count(temp) FROM home"),
        ("GROUP BY room: count, avg, max", "SELECT count(temp), mean(temp), max(hum) FROM home GROUP BY room"),
        ("date_bin 1h GROUP BY", "SELECT mean(temp) FROM home WHERE time >= 1700000000s AND time < 1710000000s GROUP BY time(1h)"),
    ];

    public static async Task InfluxQlAsync(Dictionary<string, string> options)
    {
        using var client = new HttpClient { BaseAddress = new Uri(options.GetValueOrDefault("--url", "http://127.0.0.1:8086")), Timeout = TimeSpan.FromMinutes(5) };
        var database = options.GetValueOrDefault("--database", "bench");
        var runs = int.Parse(options.GetValueOrDefault("--runs", "15"), CultureInfo.InvariantCulture);
        Console.WriteLine("| query | InfluxDB median ms |");
        Console.WriteLine("|---|---|");
        foreach (var (name, influxQl) in InfluxQlSuite)
        {
            var url = $"/query?db={database}&epoch=ns&q={Uri.EscapeDataString(influxQl)}";
            var timings = new List<double>();
            for (var run = 0; run <= runs; run++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{influxQl}: {body}");
                }

                if (run > 0)
                {
                    timings.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            Console.WriteLine($"| {name} | {Median(timings).ToString("0.00", CultureInfo.InvariantCulture)} |");
        }
    }

    /// <summary>
    /// Large results side by side: each size through each way (<c>flight</c> is Arrow Flight DoGet, the
    /// others /api/v3/query_sql's formats), the ways alternating within a round; medians of the rounds:
    /// time to the first bytes (the first batch for Flight), rows per second, the server's peak RSS.
    /// </summary>
    public static async Task ExportAsync(Dictionary<string, string> options)
    {
        var url = options.GetValueOrDefault("--url", "http://127.0.0.1:8282");
        var pid = int.Parse(options["--pid"], CultureInfo.InvariantCulture);
        var database = options.GetValueOrDefault("--database", "bench");
        var runs = int.Parse(options.GetValueOrDefault("--runs", "3"), CultureInfo.InvariantCulture);
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var flight = new FlightClient(channel);
        var sizes = options.GetValueOrDefault("--rows", "1000000,10000000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture));
        var ways = options.GetValueOrDefault("--formats", "flight,json,jsonl,parquet").Split(',');
        Console.WriteLine("| rows | way | first batch/bytes | total | rows/s | bytes | server RSS before | server peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var rows in sizes)
        {
            var sql = $"select range as i, range * 1.5 as f, 'row' || range as s from range({rows})";
            var results = ways.ToDictionary(w => w, _ => new List<(double First, double Total, double Bytes, double Before, double Peak)>());
            for (var run = 0; run < runs; run++)
            {
                foreach (var way in ways)
                {
                    var baseline = Resident(pid);
                    var peak = baseline;
                    using var sampling = new CancellationTokenSource();
                    var sampler = Task.Run(async () =>
                    {
                        while (!sampling.IsCancellationRequested)
                        {
                            peak = Math.Max(peak, Resident(pid));
                            await Task.Delay(20);
                        }
                    });
                    var clock = Stopwatch.StartNew();
                    var (first, bytes) = way == "flight"
                        ? await FlightAsync(flight, database, sql, clock, rows)
                        : await HttpAsync(client, database, sql, way, clock);
                    var total = clock.Elapsed;
                    await sampling.CancelAsync();
                    await sampler;
                    results[way].Add((first.TotalMilliseconds, total.TotalSeconds, bytes, baseline, peak));
                }
            }

            foreach (var way in ways)
            {
                var r = results[way];
                var total = Median([.. r.Select(x => x.Total)]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {rows:N0} | {way} | {Median([.. r.Select(x => x.First)]):0} ms | {total:0.00} s | {rows / total / 1e6:0.00} M | {Median([.. r.Select(x => x.Bytes)]) / 1e6:0} MB | {Median([.. r.Select(x => x.Before)]) / 1e6:0} MB | {Median([.. r.Select(x => x.Peak)]) / 1e6:0} MB |"));
            }
        }
    }

    private static async Task<(TimeSpan First, long Bytes)> HttpAsync(HttpClient client, string database, string sql, string format, Stopwatch clock)
    {
        using var response = await client.GetAsync($"/api/v3/query_sql?db={database}&format={format}&q={Uri.EscapeDataString(sql)}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        var first = TimeSpan.Zero;
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            first = bytes == 0 ? clock.Elapsed : first;
            bytes += read;
        }

        return (first, bytes);
    }

    private static async Task<(TimeSpan First, long Bytes)> FlightAsync(FlightClient flight, string database, string sql, Stopwatch clock, long expected)
    {
        var ticket = new FlightTicket(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { database, sql_query = sql, query_type = "sql" })));
        using var call = flight.GetStream(ticket);
        var first = TimeSpan.Zero;
        long rows = 0;
        long bytes = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var batch = call.ResponseStream.Current;
            first = rows == 0 && batch.Length > 0 ? clock.Elapsed : first;
            rows += batch.Length;
            bytes += batch.Arrays.Sum(a => a.Data.Buffers.Sum(b => (long)b.Length));
        }

        return rows == expected ? (first, bytes) : throw new InvalidOperationException($"Flight returned {rows} rows, expected {expected}");
    }

    /// <summary>A trivial query's round trip, alternating HTTP (JSON) and Flight on kept-alive connections; medians.</summary>
    public static async Task RoundTripAsync(Dictionary<string, string> options)
    {
        var url = options.GetValueOrDefault("--url", "http://127.0.0.1:8282");
        var database = options.GetValueOrDefault("--database", "bench");
        var runs = int.Parse(options.GetValueOrDefault("--runs", "2000"), CultureInfo.InvariantCulture);
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        using var channel = GrpcChannel.ForAddress(url);
        var flight = new FlightClient(channel);
        const string sql = "select 1";
        var http = new List<double>();
        var arrow = new List<double>();
        var flightSql = new List<double>();
        var descriptor = FlightDescriptor.CreateCommandDescriptor(StatementQuery(sql));
        var headers = new Grpc.Core.Metadata { { "database", database } };
        for (var i = 0; i < runs + 50; i++)
        {
            var clock = Stopwatch.StartNew();
            await HttpAsync(client, database, sql, "json", clock);
            var httpTime = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await FlightAsync(flight, database, sql, clock, 1);
            var flightTime = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var info = await flight.GetInfo(descriptor, headers);
            using (var call = flight.GetStream(info.Endpoints[0].Ticket))
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }

            var flightSqlTime = clock.Elapsed.TotalMilliseconds;
            if (i >= 50)
            {
                http.Add(httpTime);
                arrow.Add(flightTime);
                flightSql.Add(flightSqlTime);
            }
        }

        var (h, f, q) = (Median(http), Median(arrow), Median(flightSql));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| select 1, {runs} runs | HTTP json {h:0.000} ms | Flight DoGet {f:0.000} ms ({f / h:0.00}x) | Flight SQL GetFlightInfo + DoGet {q:0.000} ms ({q / h:0.00}x) |"));
    }

    /// <summary><c>Any{CommandStatementQuery{query}}</c>, as Flight SQL clients send it.</summary>
    private static byte[] StatementQuery(string sql)
    {
        static byte[] Message(Action<Google.Protobuf.CodedOutputStream> write)
        {
            using var stream = new MemoryStream();
            var output = new Google.Protobuf.CodedOutputStream(stream);
            write(output);
            output.Flush();
            return stream.ToArray();
        }

        var command = Message(w =>
        {
            w.WriteTag(1, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            w.WriteString(sql);
        });
        return Message(w =>
        {
            w.WriteTag(1, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            w.WriteString("type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery");
            w.WriteTag(2, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Google.Protobuf.ByteString.CopyFrom(command));
        });
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static long Resident(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}

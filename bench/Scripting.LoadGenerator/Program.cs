using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

// Durable HTTP ingest and query latency against a running server.
//   dotnet run -c Release --project bench/Scripting.LoadGenerator -- --url http://127.0.0.1:8282 --lines 10000000
// Bodies are built before the clock starts; the clock stops when the last write is acknowledged.
var options = Arguments.Parse(args);
var url = options.GetValueOrDefault("--url", "http://127.0.0.1:8282");
switch (options.GetValueOrDefault("--mode", "ingest"))
{
    case "request":
        await EngineBenchmarks.RequestsAsync(url, options);
        return;
    case "lateness":
        await EngineBenchmarks.LatenessAsync(url, options);
        return;
    case "reload":
        await EngineBenchmarks.ReloadAsync(url, options);
        return;
    case "queries":
        await QueryBenchmarks.QueriesAsync(options);
        return;
    case "influxql":
        await QueryBenchmarks.InfluxQlAsync(options);
        return;
    case "export":
        await QueryBenchmarks.ExportAsync(options);
        return;
    case "roundtrip":
        await QueryBenchmarks.RoundTripAsync(options);
        return;
}

var database = options.GetValueOrDefault("--database", "bench");
var totalLines = long.Parse(options.GetValueOrDefault("--lines", "2000000"), CultureInfo.InvariantCulture);
var batchLines = int.Parse(options.GetValueOrDefault("--batch", "5000"), CultureInfo.InvariantCulture);
var connections = int.Parse(options.GetValueOrDefault("--connections", "2"), CultureInfo.InvariantCulture);
var queryRuns = int.Parse(options.GetValueOrDefault("--query-runs", "7"), CultureInfo.InvariantCulture);

// --overwrite 0.1 makes that share of each batch's lines rewrite a point already written: one of the
// previous ten batches' (late or re-sent data), or any earlier one with --overwrite-from all.
// --passes 2 sends the whole load again, so the second pass rewrites every point once; each pass is timed.
var overwrite = double.Parse(options.GetValueOrDefault("--overwrite", "0"), CultureInfo.InvariantCulture);
var overwriteAll = options.GetValueOrDefault("--overwrite-from", "recent") == "all";
var passes = int.Parse(options.GetValueOrDefault("--passes", "1"), CultureInfo.InvariantCulture);

// --v1 writes to /write as InfluxDB 1.x takes it (for loading the same points into InfluxDB 1.6.7) and skips the SQL queries.
var v1 = options.GetValueOrDefault("--v1", "false") == "true";
var writePath = v1 ? $"/write?db={database}&precision=s" : $"/api/v3/write_lp?db={database}&precision=s";

var batches = (int)((totalLines + batchLines - 1) / batchLines);
Console.WriteLine($"building {batches} bodies of {batchLines} lines...");
var bodies = new byte[batches][];
Parallel.For(0, batches, b => bodies[b] = Body(b, batchLines, overwrite, overwriteAll));

var clients = Enumerable.Range(0, connections).Select(_ => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 })
{
    BaseAddress = new Uri(url),
    Timeout = TimeSpan.FromMinutes(5),
}).ToArray();

for (var pass = 1; pass <= passes; pass++)
{
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(clients.Select(async client =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < batches)
        {
            using var content = new ByteArrayContent(bodies[index]);
            using var response = await client.PostAsync(writePath, content);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"write failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }));
    watch.Stop();
    var lines = (long)batches * batchLines;
    var shape = overwrite > 0 ? $", {overwrite:P0} of lines rewrite {(overwriteAll ? "any earlier" : "a recent")} point" : "";
    Console.WriteLine($"ingest{(passes > 1 ? $" pass {pass}" : "")}: {lines:N0} lines in {watch.Elapsed.TotalSeconds:F2} s = {lines / watch.Elapsed.TotalSeconds:N0} lines/s (durable, {connections} connections, {batchLines}-line batches{shape})");
}

// --settle 2 runs the queries again 2 s after the last write, once the store has compacted its rewrites.
string[] queries = ["select count(*) from home", "select room, count(*), avg(temp), max(hum) from home group by room"];
var settle = double.Parse(options.GetValueOrDefault("--settle", "0"), CultureInfo.InvariantCulture);
foreach (var wait in settle > 0 ? new[] { 0, settle } : [0])
{
    await Task.Delay(TimeSpan.FromSeconds(wait));
    Console.WriteLine(wait > 0 ? $"queries {wait} s after the last write:" : "queries right after the last write:");
    foreach (var sql in v1 ? [] : queries)
    {
        await TimeAsync(sql);
    }
}

async Task TimeAsync(string sql)
{
    var timings = new List<double>();
    string body = "";
    for (var run = 0; run < queryRuns; run++)
    {
        var query = Stopwatch.StartNew();
        body = await clients[0].GetStringAsync($"/api/v3/query_sql?db={database}&format=json&q={Uri.EscapeDataString(sql)}");
        timings.Add(query.Elapsed.TotalMilliseconds);
    }

    timings.Sort();
    Console.WriteLine($"query: {sql}\n  min {timings[0]:F1} ms, median {timings[timings.Count / 2]:F1} ms over {queryRuns} runs; result {(body.Length > 200 ? body[..200] + "..." : body)}");
}

static byte[] Body(int batch, int lines, double overwrite, bool overwriteAll)
{
    // The seed's `home` shape; every point of the run has its own timestamp (seconds), its room alternating.
    var text = new StringBuilder(lines * 64);
    var random = new Random(batch);
    for (var i = 0; i < lines; i++)
    {
        var point = ((long)batch * lines) + i;
        if (batch > 0 && random.NextDouble() < overwrite)
        {
            var from = overwriteAll ? 0 : Math.Max(0, batch - 10) * (long)lines;
            point = random.NextInt64(from, (long)batch * lines);
        }

        var room = (point & 1) == 0 ? "Living\\ Room" : "Kitchen";
        text.Append(CultureInfo.InvariantCulture, $"home,room={room} temp=2{i % 10}.{i % 7},hum=35.{i % 9},co={i % 3}i {1_700_000_000L + point}\n");
    }

    return Encoding.UTF8.GetBytes(text.ToString());
}

internal static class Arguments
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        return options;
    }
}

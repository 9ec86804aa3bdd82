using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

/// <summary>Processing engine measurements against a running server.</summary>
internal static class EngineBenchmarks
{
    /// <summary>Round trips through a request plugin beside a bare endpoint of the same server, same run.</summary>
    public static async Task RequestsAsync(string url, Dictionary<string, string> options)
    {
        var count = int.Parse(options.GetValueOrDefault("--requests", "20000"), CultureInfo.InvariantCulture);
        var connections = int.Parse(options.GetValueOrDefault("--connections", "4"), CultureInfo.InvariantCulture);
        foreach (var path in new[] { options.GetValueOrDefault("--baseline", "/health"), options.GetValueOrDefault("--path", "/api/v3/engine/echo") })
        {
            await RunAsync(url, path, count / 10, connections);
            var (latencies, elapsed) = await RunAsync(url, path, count, connections);
            latencies.Sort();
            Console.WriteLine($"{path}: {count / elapsed.TotalSeconds:N0} req/s with {connections} connections; latency p50 {Percentile(latencies, 0.5):F3} ms, p99 {Percentile(latencies, 0.99):F3} ms");
        }

        var single = await RunAsync(url, options.GetValueOrDefault("--path", "/api/v3/engine/echo"), 2000, 1);
        single.Latencies.Sort();
        Console.WriteLine($"one connection: p50 {Percentile(single.Latencies, 0.5):F3} ms, p99 {Percentile(single.Latencies, 0.99):F3} ms");
    }

    /// <summary>How late schedule runs start: engine log time of each start minus its scheduled time.</summary>
    public static async Task LatenessAsync(string url, Dictionary<string, string> options)
    {
        var database = options.GetValueOrDefault("--database", "bench");
        var trigger = options.GetValueOrDefault("--trigger", "beat");
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var sql = $"select event_time, log_text from system.processing_engine_logs where trigger_name = '{trigger}' and log_text like 'starting execution with scheduled time%'";
        var body = await http.GetStringAsync($"/api/v3/query_sql?db={database}&format=json&q={Uri.EscapeDataString(sql)}");
        var lateness = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(row =>
        {
            var started = DateTime.Parse(row.GetProperty("event_time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            var text = row.GetProperty("log_text").GetString()!;
            var scheduled = DateTime.ParseExact(text["starting execution with scheduled time ".Length..^4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return (started - scheduled).TotalMilliseconds;
        }).Order().ToList();
        Console.WriteLine($"{lateness.Count} runs of '{trigger}': lateness p50 {Percentile(lateness, 0.5):F2} ms, p99 {Percentile(lateness, 0.99):F2} ms, max {lateness[^1]:F2} ms");
    }

    /// <summary>
    /// Time from writing a new version of a plugin file to a request answered by it. With <c>--cycles</c>
    /// and <c>--pid</c> (the server's), also the server's resident memory after 10, 200, 1,000... cycles.
    /// <c>--plugin-file</c> ending in <c>.py</c> writes Python versions, else C#.
    /// </summary>
    public static async Task ReloadAsync(string url, Dictionary<string, string> options)
    {
        var file = options["--plugin-file"];
        var path = options.GetValueOrDefault("--path", "/api/v3/engine/echo");
        var cycles = int.Parse(options.GetValueOrDefault("--cycles", "10"), CultureInfo.InvariantCulture);
        var pid = options.TryGetValue("--pid", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : (int?)null;
        var python = file.EndsWith(".py", StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var timings = new List<double>();
        for (var i = 1; i <= cycles; i++)
        {
            var marker = $"version-{Guid.NewGuid():N}";
            var watch = Stopwatch.StartNew();
            await File.WriteAllTextAsync(file, python
                ? $"def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return \"{marker}\"\n"
                : $"object process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => \"{marker}\";");
            while (await http.GetStringAsync(path) != marker)
            {
            }

            timings.Add(watch.Elapsed.TotalMilliseconds);
            if (pid is { } server && (i == 10 || i == 100 || i % 200 == 0))
            {
                Console.WriteLine($"after {i} edits: server RSS {ResidentMebibytes(server):F0} MiB");
            }
        }

        timings.Sort();
        Console.WriteLine($"edit to live: median {timings[timings.Count / 2]:F0} ms, max {timings[^1]:F0} ms over {timings.Count} edits");
    }

    private static double ResidentMebibytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static async Task<(List<double> Latencies, TimeSpan Elapsed)> RunAsync(string url, string path, int count, int connections)
    {
        var latencies = new List<double>(count);
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(url) };
            var mine = new List<double>();
            while (Interlocked.Increment(ref next) < count)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        return (latencies, watch.Elapsed);
    }

    private static double Percentile(List<double> sorted, double percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(percentile * sorted.Count))];
}

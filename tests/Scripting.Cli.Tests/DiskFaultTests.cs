using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace Scripting.Cli.Tests;

/// <summary>A full disk or a read-only data dir gives errors that say so, never lost or corrupted rows.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "Slow")]
public sealed class DiskFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = TempDirectory.NewPath("disk");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            DiskFaults.MakeWritable(_root);
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task ReadOnlyDataDir_ServeRefusesWithTheReason_AndChangesNothing()
    {
        var data = Path.Combine(_root, "data");
        await using (var server = await ServerProcess.StartAsync(data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            (await http.PostAsync("/api/v3/write_lp?db=kept", new StringContent("m,host=a v=1i 1700000000000000000"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            await server.TerminateAsync(TimeSpan.FromSeconds(20));
        }

        DiskFaults.MakeReadOnly(data, recursive: true);
        var before = DiskFaults.Fingerprint(data);
        var refused = await CliProcess.RunAsync(["serve", "--without-auth", "--data-dir", data, "--http-bind", $"127.0.0.1:{CliProcess.FreePort()}"], wrapper: DiskFaults.ObeyFileModes());
        var fresh = await CliProcess.RunAsync(["serve", "--without-auth", "--data-dir", Path.Combine(data, "inner"), "--http-bind", $"127.0.0.1:{CliProcess.FreePort()}"], wrapper: DiskFaults.ObeyFileModes());

        refused.ExitCode.ShouldBe(1, refused.Stdout);
        refused.Stderr.ShouldStartWith($"Serve command failed: data dir '{data}' is not writable (");
        refused.Stderr.ShouldContain("make it writable or choose another with --data-dir");
        fresh.ExitCode.ShouldBe(1, fresh.Stdout);
        fresh.Stderr.ShouldContain("is not writable");
        DiskFaults.Fingerprint(data).ShouldBe(before);

        DiskFaults.MakeWritable(data);
        await using var restarted = await ServerProcess.StartAsync(data);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        (await CountAsync(client, "kept", "m")).ShouldBe(1);
    }

    [Fact]
    public async Task DataDirTurnsReadOnlyWhileServing_NewSchemaRefusedWith503_ExistingTablesStillWritten_NothingLost()
    {
        var data = Path.Combine(_root, "data");
        await using (var server = await ServerProcess.StartWrappedAsync(data, DiskFaults.ObeyFileModes()))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            (await WriteAsync(http, "app", "m,host=a v=1i 1")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

            DiskFaults.MakeReadOnly(data, recursive: false);
            var newTable = await WriteAsync(http, "app", "other,host=a v=1i 2");
            var newDatabase = await WriteAsync(http, "second", "m,host=a v=1i 3");
            var existing = await WriteAsync(http, "app", "m,host=b v=2i 4");

            newTable.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await newTable.Content.ReadAsStringAsync()).ShouldContain("not stored: writing was refused");
            newDatabase.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            existing.StatusCode.ShouldBe(HttpStatusCode.NoContent, "the open write-ahead log still takes rows for known tables");
            (await CountAsync(http, "app", "m")).ShouldBe(2);
            (await http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

            DiskFaults.MakeWritable(data);
            (await WriteAsync(http, "app", "other,host=a v=1i 5")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(data);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        (await CountAsync(client, "app", "m")).ShouldBe(2);
        (await CountAsync(client, "app", "other")).ShouldBe(1);
    }

    [Fact]
    public async Task FullDisk_WritesRefusedWith507_QueriesAnswered_HealthSays503_AfterRoomAndSigkillEveryAcknowledgedRowIsThere()
    {
        using var disk = DiskFaults.SmallDisk(Path.Combine(_root, "disk"), megabytes: 8);
        var data = Path.Combine(disk.Directory, "data");
        var plugins = Path.Combine(_root, "plugins");
        Directory.CreateDirectory(plugins);
        File.WriteAllText(Path.Combine(plugins, "writer.csx"), """
            object process_request(IInfluxDb3Local influxdb3_local, IReadOnlyDictionary<string, string> query_parameters, IReadOnlyDictionary<string, string> request_headers, byte[] request_body, IReadOnlyDictionary<string, string>? args)
            {
                // Rows of 60 KB (strings are at most 64 KB) until one is refused; the reply is "rows written|error".
                for (var written = 0; written < 5; written++)
                {
                    try
                    {
                        influxdb3_local.WriteSync(new LineBuilder("m").Tag("host", "plugin").StringField("s", new string('p', 60_000)), false);
                    }
                    catch (InfluxDBError error)
                    {
                        return $"{written}|{error.Message}";
                    }
                }

                return "5|";
            }
            """);
        long acknowledged = 0;
        var refusals = new List<(HttpStatusCode Status, string Body)>();
        await using (var server = await ServerProcess.StartWrappedAsync(data, disk.Wrapper, "--plugin-dir", plugins))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            (await WriteAsync(http, "full", "m,host=first v=0i 1")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            acknowledged = 1;
            (await CliProcess.RunAsync(["create", "trigger", "-d", "full", "--trigger-spec", "request:writer", "--plugin-filename", "writer.csx", "writer", "--host", server.Url])).ExitCode.ShouldBe(0);
            for (var batch = 0; batch < 1_000 && refusals.Count < 5; batch++)
            {
                var lines = string.Join('\n', Enumerable.Range(0, 1_000).Select(i => $"m,host=h{i % 10} v={i}i,s=\"{new string('x', 50)}\" {(batch * 1_000L) + i + 2}"));
                var response = await WriteAsync(http, "full", lines);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    refusals.Count.ShouldBe(0, "a write was acknowledged after the disk filled up");
                    acknowledged += 1_000;
                }
                else
                {
                    refusals.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
                }
            }

            refusals.Count.ShouldBe(5, $"the {disk.Kind} never filled up");
            refusals.ShouldAllBe(r => r.Status == HttpStatusCode.InsufficientStorage);
            refusals[0].Body.ShouldContain("not stored: the disk is full");
            var fromPlugin = (await (await http.PostAsync("/api/v3/engine/writer", null)).Content.ReadAsStringAsync()).Split('|', 2);
            fromPlugin[1].ShouldStartWith("not stored: the disk is full");
            acknowledged += int.Parse(fromPlugin[0], CultureInfo.InvariantCulture);
            (await CountAsync(http, "full", "m")).ShouldBe(acknowledged);
            var unhealthy = await http.GetAsync("/health");
            unhealthy.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            // Either the refused write is the last fault health saw, or a checkpoint that also met the full
            // disk invalidated the store (then it is reopened once there is room); both name the full disk.
            var reason = await unhealthy.Content.ReadAsStringAsync();
            reason.ShouldStartWith("database 'full' cannot be");
            (reason.Contains("the disk is full", StringComparison.Ordinal) || reason.Contains("No space left on device", StringComparison.Ordinal)).ShouldBeTrue(reason);

            disk.MakeRoom(server.ProcessId);
            (await WriteAsync(http, "full", "m,host=after v=1i 9000000000")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            acknowledged += 1;
            (await http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK, "a write went through once there was room");
            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(data);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        (await CountAsync(client, "full", "m")).ShouldBe(acknowledged);
        acknowledged.ShouldBeGreaterThan(10_000);
        output.WriteLine($"{disk.Kind} of {disk.Megabytes} MB: {acknowledged:N0} rows acknowledged and present after SIGKILL and restart; {refusals.Count} writes refused with 507 once full");
    }

    private static Task<HttpResponseMessage> WriteAsync(HttpClient http, string database, string lines) =>
        http.PostAsync($"/api/v3/write_lp?db={database}&precision=ns", new StringContent(lines));

    private static async Task<long> CountAsync(HttpClient http, string database, string table)
    {
        var csv = await http.GetStringAsync($"/api/v3/query_sql?db={database}&format=csv&q={Uri.EscapeDataString($"select count(*) from {table}")}");
        return long.Parse(csv.Split('\n')[1], CultureInfo.InvariantCulture);
    }
}

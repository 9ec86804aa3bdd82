using System.Net;

namespace Scripting.Cli.Tests;

/// <summary>Acknowledged writes survive SIGKILL of the server process.</summary>
[Trait("Category", "Slow")]
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = TempDirectory.NewPath("crash");

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task Sigkill_DuringSustainedWrites_EveryAcknowledgedRowSurvives()
    {
        long acknowledged = 0;
        await using (var server = await ServerProcess.StartAsync(_dataDirectory))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var lines = string.Join('\n', Enumerable.Range(0, 500).Select(i => $"m,writer={writer} batch={batch}i,i={i}i {((long)writer << 40) + ((long)batch * 1000) + i + 1}"));
                    try
                    {
                        var response = await http.PostAsync("/api/v3/write_lp?db=crash&precision=ns", new StringContent(lines));
                        if (response.StatusCode == HttpStatusCode.NoContent)
                        {
                            Interlocked.Add(ref acknowledged, 500);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToList();

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (Interlocked.Read(ref acknowledged) < 20_000 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        acknowledged.ShouldBeGreaterThan(0);
        await using var restarted = await ServerProcess.StartAsync(_dataDirectory);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        var count = await client.GetStringAsync($"/api/v3/query_sql?db=crash&format=csv&q={Uri.EscapeDataString("select count(*) from m")}");
        var stored = long.Parse(count.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
        stored.ShouldBeGreaterThanOrEqualTo(acknowledged);
    }

    [Fact]
    public async Task Sigkill_RightAfterAcknowledgedWrite_RowAndSchemaSurvive()
    {
        await using (var server = await ServerProcess.StartAsync(_dataDirectory))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            (await http.PostAsync("/api/v3/write_lp?db=k", new StringContent("home,room=Kitchen temp=21.5,co=2i 1742198400"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(_dataDirectory);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        (await client.GetStringAsync($"/api/v3/query_sql?db=k&format=json&q={Uri.EscapeDataString("select * from home")}"))
            .ShouldBe("[{\"co\":2,\"room\":\"Kitchen\",\"temp\":21.5,\"time\":\"2025-03-17T08:00:00\"}]");
    }

    [Fact]
    public async Task Sigkill_AfterRewrites_RestartShowsOneMergedPoint_AndKeepsMerging()
    {
        await using (var server = await ServerProcess.StartAsync(_dataDirectory))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            (await http.PostAsync("/api/v3/write_lp?db=k&precision=s", new StringContent("m,host=a x=1,y=1 100\nm,host=a x=1 200"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            (await http.PostAsync("/api/v3/write_lp?db=k&precision=s", new StringContent("m,host=a x=2 100"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(_dataDirectory);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        (await client.PostAsync("/api/v3/write_lp?db=k&precision=s", new StringContent("m,host=a y=3 100"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetStringAsync($"/api/v3/query_sql?db=k&format=csv&q={Uri.EscapeDataString("select time, x, y from m order by time")}"))
            .ShouldBe("time,x,y\n1970-01-01T00:01:40,2.0,3.0\n1970-01-01T00:03:20,1.0,\n");
    }
}

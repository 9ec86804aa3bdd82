using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace Scripting.Cli.Tests;

/// <summary>
/// Kill and restart, again and again, under sustained writes: after each restart the store holds at least
/// every row acknowledged so far (and never more than was sent). Bounded: 5 kills, about 2 s of writes each.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SoakTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 5;
    private const int LinesPerBatch = 500;
    private readonly string _dataDirectory = TempDirectory.NewPath("soak");

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task RepeatedSigkill_DuringSustainedWrites_NoAcknowledgedRowIsLost()
    {
        long acknowledged = 0, sent = 0;
        var writing = TimeSpan.Zero;
        for (var kill = 0; kill < Kills; kill++)
        {
            await using var server = await ServerProcess.StartAsync(_dataDirectory);
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            await VerifyAsync(http, acknowledged, sent);
            using var stop = new CancellationTokenSource();
            var started = Stopwatch.StartNew();
            var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var first = Interlocked.Add(ref sent, LinesPerBatch) - LinesPerBatch;
                    var lines = string.Join('\n', Enumerable.Range(0, LinesPerBatch).Select(i => $"soak,writer={writer} v={i}i {first + i + 1}"));
                    try
                    {
                        if ((await http.PostAsync("/api/v3/write_lp?db=soak&precision=ns", new StringContent(lines))).StatusCode == HttpStatusCode.NoContent)
                        {
                            Interlocked.Add(ref acknowledged, LinesPerBatch);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(2));
            await server.KillAsync();
            writing += started.Elapsed;
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using (var last = await ServerProcess.StartAsync(_dataDirectory))
        {
            using var http = new HttpClient { BaseAddress = new Uri(last.Url) };
            await VerifyAsync(http, acknowledged, sent);
        }

        output.WriteLine($"{Kills} SIGKILLs survived; {acknowledged:N0} rows acknowledged at {acknowledged / writing.TotalSeconds:N0} rows/s while writing; none lost");
        acknowledged.ShouldBeGreaterThan(Kills * LinesPerBatch);
    }

    private static async Task VerifyAsync(HttpClient http, long acknowledged, long sent)
    {
        if (acknowledged == 0)
        {
            return;
        }

        var count = await http.GetStringAsync($"/api/v3/query_sql?db=soak&format=csv&q={Uri.EscapeDataString("select count(*) from soak")}");
        var stored = long.Parse(count.Split('\n')[1], CultureInfo.InvariantCulture);
        stored.ShouldBeGreaterThanOrEqualTo(acknowledged);
        stored.ShouldBeLessThanOrEqualTo(sent);
    }
}

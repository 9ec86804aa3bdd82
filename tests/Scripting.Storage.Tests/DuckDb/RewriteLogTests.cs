using System.Globalization;
using System.Text;
using Apache.Arrow;
using Scripting.Core.LineProtocol;
using Scripting.Core.Queries;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

/// <summary>
/// Rewrites spread over a table's history go to its rewrite log; reads see merged points while they wait
/// there, and compaction (after a second without writes, past a size, at open) folds them into the table.
/// </summary>
public sealed class RewriteLogTests : StoreTestBase
{
    // Enough points that merging rewrites spread over all of them in place would scan far more rows than it changes.
    private const int History = 300_000;
    private const int Spread = 100;

    private Task WriteAsync(string lines) => WriteAsync(lines, "db", Precision.Nanosecond);

    /// <summary>Series host=a with one point per microsecond from 1 µs on: v = its number, w = 1.</summary>
    private Task WriteHistoryAsync()
    {
        var lines = new StringBuilder(History * 36);
        for (var i = 1; i <= History; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"m,host=a v={i}i,w=1i {i * 1_000L}\n");
        }

        return WriteAsync(lines.ToString());
    }

    /// <summary>Rewrites v of <see cref="Spread"/> points spread over the history (1 µs on) and of the last, and adds a point at 1.5 µs.</summary>
    private Task WriteSpreadAsync()
    {
        var lines = new StringBuilder();
        for (var k = 0; k < Spread; k++)
        {
            var i = 1 + (k * (History / Spread));
            lines.Append(CultureInfo.InvariantCulture, $"m,host=a v={-i}i {i * 1_000L}\n");
        }

        return WriteAsync(lines.Append(CultureInfo.InvariantCulture, $"m,host=a v={-History}i {History * 1_000L}\nm,host=a v=7i 1500").ToString());
    }

    private const string Logs = "102";

    private string Scalar(string sql)
    {
        using var stream = Storage.Execute("db", new CheckedStatement(sql, new Dictionary<string, object?>(), []), CancellationToken.None);
        var batch = stream.ReadNext()!;
        return batch.Column(0) switch
        {
            StringArray text => text.GetString(0),
            Int64Array number => number.GetValue(0)!.Value.ToString(CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"unexpected column type {other.Data.DataType.Name}"),
        };
    }

    private string Logged => Scalar("SELECT count(*) FROM rewrites.m");

    private string Points(string where) =>
        Scalar($"SELECT string_agg(epoch_ns(time) || '=' || v || '/' || coalesce(w, 0), ',' ORDER BY time) FROM iox.m WHERE {where}");

    [Fact]
    public async Task RewritesAcrossHistory_WaitInTheLog_AndReadsSeeMergedPoints()
    {
        await WriteHistoryAsync();
        await WriteSpreadAsync();

        Logged.ShouldBe(Logs);
        Scalar("SELECT count(*) FROM iox.m").ShouldBe((History + 1).ToString(CultureInfo.InvariantCulture));
        Points("time <= make_timestamp_ns(2000)").ShouldBe("1000=-1/1,1500=7/0,2000=2/1");

        // A later write of a logged point wins field by field; while the log holds rows, a rewrite of a
        // recent point goes there too, so an older logged write cannot win over it.
        await WriteAsync($"m,host=a w=5i 1000\nm,host=a v=-3i {History * 1_000L}");
        Logged.ShouldBe("104");
        Points("time <= make_timestamp_ns(1000)").ShouldBe("1000=-1/5");
        Points($"time >= make_timestamp_ns({(History - 1) * 1_000L})").ShouldBe($"{(History - 1) * 1_000L}={History - 1}/1,{History * 1_000L}=-3/1");
        Points("time = make_timestamp_ns(6001000)").ShouldBe("6001000=-6001/1");
        Scalar("SELECT count(*) FROM iox.m").ShouldBe((History + 1).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ARunOfRewrittenPoints_IsMergedInPlace_WithoutALog()
    {
        await WriteHistoryAsync();
        var lines = new StringBuilder();
        for (var i = 100_001; i <= 110_000; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"m,host=a w=2i {i * 1_000L}\n");
        }

        await WriteAsync(lines.ToString());

        Scalar("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'rewrites'").ShouldBe("0");
        Scalar("SELECT count(*) FROM store.m").ShouldBe(History.ToString(CultureInfo.InvariantCulture));
        Scalar("SELECT count(*) || '/' || min(v) || '/' || max(v) FROM store.m WHERE w = 2").ShouldBe("10000/100001/110000");
    }

    [Fact]
    public async Task ASecondWithoutWrites_CompactsTheLog_IntoTheTable()
    {
        await WriteHistoryAsync();
        await WriteSpreadAsync();
        Logged.ShouldBe(Logs);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Logged != "0" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Logged.ShouldBe("0");
        Scalar("SELECT sql FROM duckdb_views() WHERE view_name = 'm'").ShouldNotContain("rewrites");
        Scalar("SELECT count(*) FROM store.m").ShouldBe((History + 1).ToString(CultureInfo.InvariantCulture));
        Points("time <= make_timestamp_ns(2000)").ShouldBe("1000=-1/1,1500=7/0,2000=2/1");
        Points("time = make_timestamp_ns(6001000)").ShouldBe("6001000=-6001/1");
    }

    [Fact]
    public async Task ALogPastItsSize_IsCompactedAfterTheCommit()
    {
        await WriteHistoryAsync();
        // Every other point rewritten, at both ends first so the write is spread from its start.
        var lines = new StringBuilder();
        for (var i = 2; i <= History; i += 2)
        {
            lines.Append(CultureInfo.InvariantCulture, $"m,host=a v={-i}i {i * 1_000L}\n");
        }

        await WriteSpreadAsync();
        Logged.ShouldBe(Logs);
        await WriteAsync(lines.ToString());

        Logged.ShouldBe("0");
        Scalar("SELECT count(*) FROM store.m").ShouldBe((History + 1).ToString(CultureInfo.InvariantCulture));
        Points("time <= make_timestamp_ns(4000)").ShouldBe("1000=-1/1,1500=7/0,2000=-2/1,3000=3/1,4000=-4/1");
        Points("time = make_timestamp_ns(6001000)").ShouldBe("6001000=-6001/1");
    }

    [Fact]
    public async Task ALoggedTable_GainsColumns_AndARestartCompactsIt()
    {
        await WriteHistoryAsync();
        await WriteSpreadAsync();
        await WriteAsync("m,host=a z=\"late\" 1000\nm,host=b v=1i,z=\"new\" 1000");

        Logged.ShouldBe("103");
        Scalar("SELECT string_agg(host || '=' || v || '/' || w || '/' || z, ',' ORDER BY host) FROM iox.m WHERE time = make_timestamp_ns(1000)")
            .ShouldBe("a=-1/1/late");
        Scalar("SELECT string_agg(host || '=' || v || '/' || z, ',') FROM iox.m WHERE host = 'b'").ShouldBe("b=1/new");

        await ReopenAsync();

        Logged.ShouldBe("0");
        Scalar("SELECT count(*) FROM iox.m").ShouldBe((History + 2).ToString(CultureInfo.InvariantCulture));
        Scalar("SELECT v || '/' || w || '/' || z FROM iox.m WHERE host = 'a' AND time = make_timestamp_ns(1000)").ShouldBe("-1/1/late");
        Points($"host = 'a' AND time >= make_timestamp_ns({History * 1_000L})").ShouldBe($"{History * 1_000L}={-History}/1");
    }
}

using DuckDB.NET.Data;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;
using Scripting.Storage.Catalog;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

/// <summary>A point is table + tag set + time: written again, it stays one row, the later write winning field by field.</summary>
public sealed class PointIdentityTests : StoreTestBase
{
    private Task WriteAsync(string lines) => WriteAsync(lines, "db", Precision.Nanosecond);

    /// <summary>Rows of <paramref name="table"/> as text, read from the file after the store is closed.</summary>
    private async Task<string> RowsAsync(string sql)
    {
        await Storage.DisposeAsync();
        string text;
        using (var connection = new DuckDBConnection($"Data Source={Path.Combine(DataDirectory, "db.duckdb")}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            text = Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        Open();
        return text;
    }

    [Fact]
    public async Task APointWrittenThreeTimes_IsOneRow_WithTheLastValues()
    {
        await WriteAsync("dup,host=a v=1i 100");
        await WriteAsync("dup,host=a v=2i 100");
        await WriteAsync("dup,host=a v=3i 100");

        (await RowsAsync("SELECT count(*) || ':' || max(v) FROM iox.dup")).ShouldBe("1:3");
    }

    [Fact]
    public async Task ALaterWrite_ReplacesTheFieldsItNames_AndKeepsTheOthers()
    {
        await WriteAsync("m,host=a x=1,y=1 100");
        await WriteAsync("m,host=a y=2,z=\"new\" 100");

        (await RowsAsync("SELECT string_agg(x || '/' || y || '/' || z, ',') FROM iox.m")).ShouldBe("1.0/2.0/new");
    }

    [Fact]
    public async Task WithinOneWrite_LaterLinesWin()
    {
        await WriteAsync("m,host=a x=1,y=1 100\nm,host=a x=2 100\nm,host=a x=3 100\nm,host=b x=9 100");

        (await RowsAsync("SELECT string_agg(host || '=' || x || '/' || coalesce(y, 0), ',' ORDER BY host) FROM iox.m")).ShouldBe("a=3.0/1.0,b=9.0/0.0");
    }

    [Fact]
    public async Task TagSets_AreWholeKeys_InAnyOrder_AbsentTagsCountAsAbsent()
    {
        await WriteAsync("m,a=1 v=1i 100\nm,a=1,b=2 v=2i 100\nm,b=2,a=1 v=3i 100\nm v=4i 100");

        (await RowsAsync("SELECT string_agg(coalesce(a, '-') || coalesce(b, '-') || '=' || v, ',' ORDER BY v) FROM iox.m")).ShouldBe("1-=1,12=3,--=4");
    }

    [Fact]
    public async Task AnOlderPointThatIsNew_IsAdded()
    {
        await WriteAsync("m,host=a v=1i 300");
        await WriteAsync("m,host=a v=2i 100\nm,host=a v=3i 200\nm,host=a v=4i 300");

        (await RowsAsync("SELECT string_agg(epoch_ns(time) || '=' || v, ',' ORDER BY time) FROM iox.m")).ShouldBe("100=2,200=3,300=4");
    }

    [Fact]
    public async Task AfterARestart_ARewriteStillMerges()
    {
        await WriteAsync("m,host=a v=1i,w=1i 100\nm,host=a v=1i 200");
        await ReopenAsync();
        await WriteAsync("m,host=a v=7i 100");

        (await RowsAsync("SELECT string_agg(epoch_ns(time) || '=' || v || '/' || coalesce(w, 0), ',' ORDER BY time) FROM iox.m")).ShouldBe("100=7/1,200=1/0");
    }

    [Fact]
    public async Task ConcurrentWritersOfTheSamePoints_LeaveOneRowEach()
    {
        // Eight writers each write the same 2,000 points (two series) in their own order, 100 lines a request.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var order = Enumerable.Range(0, 2_000).OrderBy(i => (i * 7919 + writer * 104_729) % 2_000).ToList();
            foreach (var chunk in order.Chunk(100))
            {
                await WriteAsync(string.Join('\n', chunk.Select(i => $"m,host=h{i % 2} v={writer}i,w{writer}=1i {1_000 + i}")));
            }
        })));

        (await RowsAsync("SELECT count(*) || '/' || count(DISTINCT (host, time)) || '/' || count(w0) || '/' || count(w7) FROM iox.m")).ShouldBe("2000/2000/2000/2000");
    }

    [Fact]
    public async Task AWriteCheckedAgainstAnOlderSchema_LeavesNewerColumnsEmpty()
    {
        await WriteAsync("m,host=a v=1i 100");
        var older = WriteValidator.Validate(Catalog, "db", new LineProtocolParser().Parse("m,host=a v=2i 300", Precision.Nanosecond, 0), true);
        await WriteAsync("m,host=a v=1i,extra=5i 200");
        await Storage.WriteAsync(older, new WriteOptions());

        (await RowsAsync("SELECT string_agg(epoch_ns(time) || '=' || v || '/' || coalesce(extra, -1), ',' ORDER BY time) FROM iox.m")).ShouldBe("100=1/-1,200=1/5,300=2/-1");
    }

    [Fact]
    public async Task AFileWithDuplicateRows_IsMergedAtOpen()
    {
        await WriteAsync("m,host=a x=1,y=1 100\nm,host=b x=5 100");
        await Storage.DisposeAsync();
        using (var connection = new DuckDBConnection($"Data Source={Path.Combine(DataDirectory, "db.duckdb")}"))
        {
            // As files written before points had an identity: plain appended duplicates, no marker.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO store.m (time, host, x) VALUES (make_timestamp_ns(100), 'a', 2), (make_timestamp_ns(100), 'a', 3); DROP TABLE store.point_identity;";
            command.ExecuteNonQuery();
        }

        Open();
        // Stores open on first use; a query opens this one.
        Storage.Execute("db", new Core.Queries.CheckedStatement("SELECT 1", new Dictionary<string, object?>(), []), CancellationToken.None).Dispose();
        (await RowsAsync("SELECT string_agg(host || '=' || x || '/' || coalesce(y, 0), ',' ORDER BY host) FROM iox.m")).ShouldBe("a=3.0/1.0,b=5.0/0.0");
    }
}

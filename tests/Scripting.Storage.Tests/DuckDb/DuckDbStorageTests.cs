using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.LineProtocol;
using Scripting.Core.Queries;
using Scripting.Core.Writes;
using Scripting.Storage.Catalog;
using Scripting.Query;
using Scripting.Query.Limits;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

public sealed class DuckDbStorageTests : StoreTestBase
{
    private QueryLayer _queries = null!;

    protected override void Open()
    {
        base.Open();
        _queries = new QueryLayer(Storage, Catalog, SystemTables, new QueryLimits(), TimeProvider.System);
    }

    private Task<QueryResult> QueryAsync(string sql, Dictionary<string, object?>? parameters = null) =>
        _queries.QueryAsync("db", sql, parameters ?? []);

    [Fact]
    public async Task Query_SelectStar_ColumnsSortedByNameWithTimeAsTimestamp()
    {
        await WriteAsync("home,room=Kitchen temp=21.0,hum=35.9,co=0i 1742198400");

        var result = await QueryAsync("select * from home");

        result.Columns.Select(c => c.Name).ShouldBe(["co", "hum", "room", "temp", "time"]);
        result.Columns[^1].Type.ShouldBe(QueryColumnType.Timestamp);
        result.Rows.ShouldHaveSingleItem().ShouldBe(new object?[] { 0L, 35.9, "Kitchen", 21.0, 1742198400L * 1_000_000_000 });
    }

    [Fact]
    public async Task Query_NanosecondTimestamps_ComeBackExact()
    {
        await WriteAsync("m f=1 1742198400123456789");

        var result = await QueryAsync("select time from m");

        result.Rows.ShouldHaveSingleItem()[0].ShouldBe(1742198400123456789L);
    }

    [Fact]
    public async Task Query_IntegerComparedWithTime_ReadsSecondsByAutoRule()
    {
        await WriteAsync("m f=1 1742198400\nm f=2 1742202000\nm f=3 1742216400");

        var result = await QueryAsync("select f from m where time > 1742198400 and time < 1742216400");

        result.Rows.ShouldHaveSingleItem()[0].ShouldBe(2.0);
    }

    [Fact]
    public async Task Query_TimeComparedWithRfc3339_Works()
    {
        await WriteAsync("m f=1 1742198400\nm f=2 1742202000");

        var result = await QueryAsync("select f from m where time >= '2025-03-17T09:00:00Z'");

        result.Rows.ShouldHaveSingleItem()[0].ShouldBe(2.0);
    }

    [Fact]
    public async Task Query_DateBinGroupBy_BinsFromEpoch()
    {
        await WriteAsync("m f=1 1742198400\nm f=3 1742200200\nm f=5 1742202000");

        var result = await QueryAsync("select date_bin(interval '1 hour', time) as hour, avg(f) as a from m group by hour order by hour");

        result.Rows.Count.ShouldBe(2);
        result.Rows[0].ShouldBe(new object?[] { 1742198400L * 1_000_000_000, 2.0 });
    }

    [Fact]
    public async Task Query_NamedParameter_IsBoundNotSpliced()
    {
        await WriteAsync("m,room=a f=1 1\nm,room=b f=2 2");

        var matched = await QueryAsync("select f from m where room = $room", new() { ["room"] = "b" });
        var injected = await QueryAsync("select f from m where room = $room", new() { ["room"] = "a' or '1'='1" });

        matched.Rows.ShouldHaveSingleItem()[0].ShouldBe(2.0);
        injected.Rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task Query_BadSql_ThrowsBadRequestWithEngineMessage()
    {
        await WriteAsync("m f=1 1");

        var error = await Should.ThrowAsync<ScriptingException>(() => QueryAsync("select nope from m"));

        error.Kind.ShouldBe(ErrorKind.BadRequest);
        error.Message.ShouldContain("nope");
    }

    [Fact]
    public async Task Write_NewColumnsLater_OldRowsReadNull()
    {
        await WriteAsync("m f=1 1");
        await WriteAsync("m,t=x f=2,g=\"s\" 2");

        var result = await QueryAsync("select * from m order by time");

        result.Columns.Select(c => c.Name).ShouldBe(["f", "g", "t", "time"]);
        result.Rows[0].ShouldBe(new object?[] { 1.0, null, null, 1_000_000_000L });
        result.Rows[1].ShouldBe(new object?[] { 2.0, "s", "x", 2_000_000_000L });
    }

    [Fact]
    public async Task Restart_AfterWrites_DataAndSchemaSurvive()
    {
        await WriteAsync("m,t=x f=1,u=5u,b=true 1");
        await ReopenAsync();
        var result = await QueryAsync("select b, f, t, u from m");

        result.Rows.ShouldHaveSingleItem().ShouldBe(new object?[] { true, 1.0, "x", 5UL });
        Catalog.Get("db").Tables["m"].Columns.Count.ShouldBe(4);
    }

    [Fact]
    public async Task ConcurrentWrites_AllRowsStored()
    {
        var writes = Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => WriteAsync(string.Join('\n', Enumerable.Range(0, 100).Select(j => $"m,w={i} v={j}i {(i * 100) + j + 1}")))));

        await Task.WhenAll(writes);

        (await QueryAsync("select count(*) from m")).Rows[0][0].ShouldBe(4000L);
    }

    [Fact]
    public async Task DeleteDatabase_RemovesFile()
    {
        await WriteAsync("m f=1 1", "gone");

        Catalog.DeleteDatabase("gone");

        File.Exists(Path.Combine(DataDirectory, "gone.duckdb")).ShouldBeFalse();
        await Should.ThrowAsync<ScriptingException>(() => _queries.QueryAsync("gone", "select 1", new Dictionary<string, object?>()));
    }

    [Fact]
    public async Task ShowColumns_ReportsInfluxTypes()
    {
        await WriteAsync("home,room=k temp=1,co=1i,ok=true,n=1u,s=\"x\" 1");

        var result = await QueryAsync("SHOW COLUMNS FROM home");

        result.Rows.Select(r => $"{r[3]}:{r[4]}").ShouldBe([
            "co:Int64", "n:UInt64", "ok:Boolean", "room:Dictionary(Int32, Utf8)", "s:Utf8", "temp:Float64", "time:Timestamp(Nanosecond, None)"]);
    }
}

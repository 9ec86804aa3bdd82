using Scripting.Core.Errors;

namespace Scripting.Query.Tests;

/// <summary>What the query API accepts and refuses, through the whole layer on a real store.</summary>
public sealed class QuerySurfaceTests : IAsyncLifetime
{
    private readonly QueryStore _store = new();

    public async Task InitializeAsync()
    {
        await _store.WriteAsync("db", "home,room=Kitchen temp=21.0,hum=35.9 1742198400\nhome,room=Living temp=22.5,hum=36.1 1742202000\nhome,room=Kitchen temp=23.0,hum=36.0 1742205600");
        await _store.WriteAsync("db", "door,room=Kitchen open=true 1742198400");
        await _store.WriteAsync("other", "secret,room=vault code=42i 1742198400");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Theory]
    [InlineData("select count(*) from home", "3")]
    [InlineData("with k as (select * from home where room = 'Kitchen') select count(*) from k", "2")]
    [InlineData("select count(*) from (select room from home) s", "3")]
    [InlineData("select count(*) from home h join door d on h.room = d.room", "2")]
    [InlineData("select count(*) from (select room from home union select room from door) u", "2")]
    [InlineData("select max(r) from (select row_number() over (partition by room order by time) as r from home) w", "2")]
    [InlineData("select count(*) from home where temp > (select min(temp) from home)", "2")]
    [InlineData("select count(*) from generate_series(1, 5)", "5")]
    [InlineData("select count(*) from range(4)", "4")]
    [InlineData("select count(*) from public.iox.home", "3")]
    [InlineData("select count(*) from iox.home", "3")]
    [InlineData("select count(*) from HOME", "3")]
    [InlineData("select count(*) from system.queries_seen", "2")]
    [InlineData("select count(*) from information_schema.columns where table_name = 'home'", "4")]
    [InlineData("select count(*) from home where time >= 1742202000", "2")]
    [InlineData("select count(*) from home where time between 1742198400000 and 1742202000000", "2")]
    [InlineData("select count(*) from home where time > now() - interval '100000 days'", "3")]
    [InlineData("with recursive n(i) as (select 1 union all select i + 1 from n where i < 3) select count(*) from n", "3")]
    public async Task Query_AcceptedReadOnlyQuery_Answers(string sql, string expected)
    {
        var result = await _store.QueryAsync("db", sql);

        Convert.ToString(result.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expected);
    }

    [Fact]
    public async Task Explain_AnswersWithPlanTypeAndPlanColumns()
    {
        var plain = await _store.QueryAsync("db", "explain select * from home where cast(temp as bigint) > 1");
        var analyzed = await _store.QueryAsync("db", "EXPLAIN ANALYZE select count(*) from home");

        plain.Columns.Select(c => c.Name).ShouldBe(["plan_type", "plan"]);
        plain.Rows.Select(r => (string)r[0]!).ShouldBe(["logical_plan", "physical_plan"]);
        ((string)plain.Rows[0][1]!).ShouldStartWith("Projection");
        ((string)plain.Rows[1][1]!).ShouldContain("DataSourceExec: table=[home]");
        string.Join("\n", plain.Rows.Select(r => (string)r[1]!)).ShouldContain("Int64");
        analyzed.Columns.Select(c => c.Name).ShouldBe(["plan_type", "plan"]);
        analyzed.Rows.Select(r => (string)r[0]!).ShouldBe(["Plan with Metrics"]);
        ((string)analyzed.Rows[0][1]!).ShouldContain("output_rows=");

        // The plan is an indented tree of operators in InfluxDB's words, not the store's box drawing or schema names.
        foreach (var plan in plain.Rows.Concat(analyzed.Rows).Select(r => (string)r[1]!))
        {
            plan.ShouldNotContain("┌");
            plan.ShouldNotContain("store.");
            plan.ShouldNotContain("__internal");
            plan.ShouldNotContain("BIGINT");
        }
    }

    [Fact]
    public async Task TimeCondition_ReachesTheScanAsAComparisonOfTheStoredColumn_SoRowGroupsAreSkipped()
    {
        var plan = await _store.QueryAsync("db", "explain select * from home where time >= 1742202000");
        var text = string.Concat(plan.Rows.Select(r => (string)r[1]!)).Replace("│", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);

        text.ShouldContain("filters=[time>=");
        text.ShouldNotContain("make_timestamp_ns(time)");
    }

    [Fact]
    public async Task ShowAndDescribe_ListTheDatabasesOwnTablesAndColumns()
    {
        var tables = await _store.QueryAsync("db", "show tables");
        var columns = await _store.QueryAsync("db", "show columns from home");
        var described = await _store.QueryAsync("db", "describe home");

        tables.Rows.Where(r => (string)r[1]! == "iox").Select(r => (string)r[2]!).ShouldBe(["door", "home"]);
        tables.Rows.Where(r => (string)r[1]! == "information_schema").Select(r => (string)r[2]!).ShouldBe(["tables", "views", "columns", "df_settings", "schemata"]);
        columns.Rows.Select(r => (string)r[3]!).ShouldBe(["hum", "room", "temp", "time"]);
        described.Columns.Select(c => c.Name).ShouldBe(["column_name", "data_type", "is_nullable"]);
        described.Rows.Count.ShouldBe(4);
    }

    [Fact]
    public async Task Parameters_AreBound_AndAMissingOneIsNamed()
    {
        var bound = await _store.QueryAsync("db", "select count(*) from home where room = $room", new() { ["room"] = "Kitchen", ["unused"] = "x" });
        var missing = await Should.ThrowAsync<ScriptingException>(() => _store.QueryAsync("db", "select * from home where room = $room"));

        bound.Rows[0][0].ShouldBe(2L);
        missing.Kind.ShouldBe(ErrorKind.BadRequest);
        missing.Message.ShouldBe("no value given for the query parameter '$room': pass it in 'params'");
    }

    [Theory]
    [InlineData("select * from secret", "table 'public.iox.secret' not found")]
    [InlineData("select * from other.iox.secret", "table 'other.iox.secret' not found")]
    [InlineData("select * from main.secret", "table 'main.secret' not found")]
    [InlineData("select * from store.home", "table 'store.home' not found")]
    [InlineData("select * from '/etc/passwd'", "table 'public.iox./etc/passwd' not found")]
    [InlineData("select * from 'tokens.json'", "table 'tokens.json' not found")]
    [InlineData("select * from duckdb_settings", "table 'public.iox.duckdb_settings' not found")]
    [InlineData("select * from system.nope", "table 'system.nope' not found")]
    [InlineData("select * from information_schema.routines", "table 'information_schema.routines' not found")]
    [InlineData("select * from pg_catalog.pg_tables", "table 'pg_catalog.pg_tables' not found")]
    [InlineData("select (with c as (select 1) select 1), * from c", "table 'public.iox.c' not found")]
    [InlineData("select * from read_csv('/etc/passwd')", "table function 'read_csv' is not allowed")]
    [InlineData("select * from read_text('/work/data/catalog.json')", "table function 'read_text' is not allowed")]
    [InlineData("select * from read_blob('tokens.json')", "table function 'read_blob' is not allowed")]
    [InlineData("select * from glob('/*')", "table function 'glob' is not allowed")]
    [InlineData("select * from duckdb_settings()", "table function 'duckdb_settings' is not allowed")]
    [InlineData("select * from query('select 1')", "table function 'query' is not allowed")]
    [InlineData("select getenv('HOME')", "function 'getenv' is not allowed")]
    [InlineData("select current_setting('memory_limit')", "function 'current_setting' is not allowed")]
    [InlineData("select count(*) from home where room in (select * from read_csv('/etc/passwd'))", "table function 'read_csv' is not allowed")]
    [InlineData("select main.getenv('HOME')", "function 'getenv' is not allowed")]
    [InlineData("select system.main.version()", "function 'system.main.version' not found")]
    [InlineData("select * from (describe home)", "DESCRIBE, SHOW and SUMMARIZE cannot be used inside a query")]
    [InlineData("select * from home at (version => 1)", "AT (time travel) is not supported")]
    [InlineData("with x as (select 1) insert into home select 1", "only read-only queries are allowed")]
    [InlineData("select * frm home", "error while parsing the query: syntax error at or near \"home\" (at character 14)")]
    [InlineData("select frm home", "error while planning or running the query: Referenced column \"frm\" was not found")]
    public async Task Query_ReachingBeyondTheDatabase_IsRefusedWith400BeforeItRuns(string sql, string message)
    {
        var error = await Should.ThrowAsync<ScriptingException>(() => _store.QueryAsync("db", sql));

        error.Kind.ShouldBe(ErrorKind.BadRequest);
        error.Message.ShouldContain(message);
    }

    [Fact]
    public async Task Query_SameTextAgain_WithOtherParameters_BindsEachTime()
    {
        const string Sql = "select count(*) from home where room = $room";

        var kitchen = await _store.QueryAsync("db", Sql, new() { ["room"] = "Kitchen" });
        var living = await _store.QueryAsync("db", Sql, new() { ["room"] = "Living" });

        kitchen.Rows[0][0].ShouldBe(2L);
        living.Rows[0][0].ShouldBe(1L);
    }

    [Fact]
    public async Task Query_TableWrittenAfterARefusal_IsFoundByTheSameText()
    {
        await Should.ThrowAsync<ScriptingException>(() => _store.QueryAsync("db", "select count(*) from later"));
        (await _store.QueryAsync("db", "select count(*) from home")).Rows[0][0].ShouldBe(3L);

        await _store.WriteAsync("db", "later,room=Kitchen v=1i 1742198400");

        (await _store.QueryAsync("db", "select count(*) from later")).Rows[0][0].ShouldBe(1L);
        (await _store.QueryAsync("db", "select count(*) from home")).Rows[0][0].ShouldBe(3L);
    }

    [Fact]
    public async Task Query_UnknownDatabase_IsNotFound()
    {
        var error = await Should.ThrowAsync<ScriptingException>(() => _store.QueryAsync("nowhere", "select 1"));

        error.Kind.ShouldBe(ErrorKind.NotFound);
    }
}

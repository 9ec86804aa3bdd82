using Scripting.Core.Errors;
using Scripting.Query.Statements;

namespace Scripting.Query.Tests.Statements;

public sealed class StatementParserTests
{
    [Theory]
    [InlineData("select 1", StatementKind.Select)]
    [InlineData("  WITH c AS (select 1) select * from c ;", StatementKind.Select)]
    [InlineData("(select 1) union all (select 2)", StatementKind.Select)]
    [InlineData("-- a comment\nselect 1; ;", StatementKind.Select)]
    [InlineData("SHOW TABLES", StatementKind.ShowTables)]
    [InlineData("show columns from home", StatementKind.ShowColumns)]
    [InlineData("show columns in \"My Table\"", StatementKind.ShowColumns)]
    [InlineData("describe home", StatementKind.Describe)]
    [InlineData("EXPLAIN select 1", StatementKind.Explain)]
    [InlineData("explain analyze select 1", StatementKind.Explain)]
    public void Parse_AcceptedStatement_ReportsItsKind(string sql, StatementKind kind) =>
        StatementParser.Parse(sql).Kind.ShouldBe(kind);

    [Fact]
    public void Parse_QuotedTableName_KeepsItsCase() =>
        StatementParser.Parse("show columns in \"My Table\"").Table.ShouldBe("My Table");

    [Fact]
    public void Parse_ExplainAnalyze_KeepsTheQueryAsWritten()
    {
        var statement = StatementParser.Parse("explain analyze select room from home where room !~ 'x'");

        statement.Analyze.ShouldBeTrue();
        statement.Query.ShouldBe("select room from home where room !~ 'x'");
    }

    [Theory]
    [InlineData("select 1; select 2", "only one read-only statement per query: found 2")]
    [InlineData("select 1; attach 'x' as y", "only one read-only statement per query: found 2")]
    [InlineData("select ';' ; select 2;", "only one read-only statement per query: found 2")]
    [InlineData("", "the query is empty")]
    [InlineData(" ; -- nothing", "the query is empty")]
    [InlineData("ATTACH '/data/other.duckdb' AS v", "'ATTACH' is not allowed: it would open another database file")]
    [InlineData("copy home to '/tmp/x.csv'", "'COPY' is not allowed: it would read or write files")]
    [InlineData("EXPORT DATABASE '/tmp/x'", "'EXPORT' is not allowed: it would write files")]
    [InlineData("install httpfs", "'INSTALL' is not allowed: it would install an extension")]
    [InlineData("load httpfs", "'LOAD' is not allowed: it would load an extension")]
    [InlineData("SET memory_limit='1MB'", "'SET' is not allowed: it would change a setting")]
    [InlineData("reset search_path", "'RESET' is not allowed: it would change a setting")]
    [InlineData("pragma database_list", "'PRAGMA' is not allowed")]
    [InlineData("create temp view v as select 1", "'CREATE' is not allowed: it would change the schema")]
    [InlineData("drop table home", "'DROP' is not allowed")]
    [InlineData("alter table home add column x int", "'ALTER' is not allowed")]
    [InlineData("insert into home values (1)", "'INSERT' is not allowed: it would change stored data")]
    [InlineData("update home set temp = 0", "'UPDATE' is not allowed")]
    [InlineData("delete from home", "'DELETE' is not allowed")]
    [InlineData("begin transaction", "'BEGIN' is not allowed: transactions are not part of the query API")]
    [InlineData("checkpoint", "'CHECKPOINT' is not allowed")]
    [InlineData("call pragma_version()", "'CALL' is not allowed")]
    [InlineData("from home", "'FROM' is not allowed")]
    [InlineData("SHOW DATABASES", "SHOW DATABASES is not supported in SQL")]
    [InlineData("show functions", "SHOW takes TABLES or COLUMNS FROM <table>")]
    [InlineData("explain insert into home values (1)", "EXPLAIN takes a query")]
    [InlineData("describe", "DESCRIBE takes one table name")]
    public void Parse_RefusedStatement_SaysWhatIsNotAllowed(string sql, string message)
    {
        var error = Should.Throw<ScriptingException>(() => StatementParser.Parse(sql));

        error.Kind.ShouldBe(ErrorKind.BadRequest);
        error.Message.ShouldStartWith(message);
    }
}

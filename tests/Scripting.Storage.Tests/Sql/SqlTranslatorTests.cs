using Scripting.Storage.Sql;

namespace Scripting.Storage.Tests.Sql;

public sealed class SqlTranslatorTests
{
    [Theory]
    [InlineData("select * from home where time > 1742198400", "select * from home where time > make_timestamp_ns(1742198400000000000)")]
    [InlineData("select * from home where 1742198400123 <= time", "select * from home where make_timestamp_ns(1742198400123000000) <= time")]
    [InlineData("select * from home where \"time\" >= 1742198400123456789", "select * from home where \"time\" >= make_timestamp_ns(1742198400123456789)")]
    [InlineData("select * from home where h.time between 1742198400 and 1742216400", "select * from home where h.time between make_timestamp_ns(1742198400000000000) and make_timestamp_ns(1742216400000000000)")]
    [InlineData("select * from home where time > now() - interval '7 days'", "select * from home where time > CAST(now() AS TIMESTAMP) - interval '7 days'")]
    [InlineData("select * from information_schema.columns", "select * from influx_information_schema.columns")]
    [InlineData("select * from home;", "select * from home")]
    public void Translate_InfluxSql_BecomesDuckDbSql(string input, string expected) =>
        SqlTranslator.Translate(input).ShouldBe(expected);

    [Theory]
    [InlineData("select 'time > 1742198400' as s")]
    [InlineData("select * from home where temp > 20 -- time > 5")]
    [InlineData("select * from home where room = $room")]
    [InlineData("select time + 5 from home")]
    [InlineData("select * from home where time > 1742198400 + 1")]
    public void Translate_NothingToRewrite_LeavesTextAlone(string input) =>
        SqlTranslator.Translate(input).ShouldBe(input);

    [Fact]
    public void Translate_ShowTables_QueriesInformationSchema() =>
        SqlTranslator.Translate("SHOW TABLES").ShouldContain("FROM influx_information_schema.tables");

    [Fact]
    public void Translate_ShowColumnsFromQuotedTable_FiltersOnTheName() =>
        SqlTranslator.Translate("show columns from \"my ''table\"").ShouldContain("WHERE table_name = 'my ''''table'");
}

using Scripting.InfluxQL.Syntax;

namespace Scripting.Query.Tests.InfluxQL;

/// <summary>InfluxQL parsed as InfluxDB parses it, and its parse errors in InfluxDB's words.</summary>
public sealed class ParserTests
{
    private static SelectStatement Select(string text) => Parser.ParseStatements(text).Single().ShouldBeOfType<SelectStatement>();

    [Fact]
    public void Select_WithEveryClause()
    {
        var select = Select("""SELECT mean("temp") AS avg, max(hum) FROM "sensors"."autogen".home WHERE room =~ /^Kit/ AND time > now() - 1h GROUP BY time(10m, -5m), room fill(previous) ORDER BY time DESC LIMIT 5 OFFSET 2 SLIMIT 3 SOFFSET 1 tz('Europe/Oslo')""");

        select.Fields.Count.ShouldBe(2);
        ExprText.Of(select.Fields[0].Expression).ShouldBe("mean(temp)");
        select.Fields[0].Alias.ShouldBe("avg");
        ExprText.Of(select.Fields[1].Expression).ShouldBe("max(hum)");
        select.Sources.Single().ShouldBe(new MeasurementSource("sensors", "autogen", "home", null));
        var condition = select.Condition.ShouldBeOfType<Binary>();
        condition.Operator.ShouldBe("AND");
        condition.Left.ShouldBe(new Binary("=~", new VarRef("room"), new RegexLiteral("^Kit")));
        ExprText.Of(condition.Right).ShouldBe("time > now() - 1h");
        condition.Right.ShouldBeOfType<Binary>().Right.ShouldBeOfType<Binary>().Right.ShouldBe(new DurationLiteral(3_600_000_000_000, "1h"));
        select.GroupByTime.ShouldBe(new TimeDimension(600_000_000_000, -300_000_000_000, false));
        select.GroupByTags.ShouldBe(["room"]);
        select.Fill.ShouldBe(new Fill(FillKind.Previous, null));
        select.Descending.ShouldBeTrue();
        (select.Limit, select.Offset, select.SeriesLimit, select.SeriesOffset).ShouldBe((5L, 2L, 3L, 1L));
        select.TimeZone.ShouldBe("Europe/Oslo");
    }

    [Theory]
    [InlineData("SELECT * FROM /^h/", null, "^h")]
    [InlineData("SELECT * FROM db..home", "home", null)]
    [InlineData("SELECT * FROM \"my measurement\"", "my measurement", null)]
    public void Sources_ByNameRegexOrQualified(string text, string? name, string? regex)
    {
        var source = Select(text).Sources.Single().ShouldBeOfType<MeasurementSource>();

        source.Name.ShouldBe(name);
        source.Regex.ShouldBe(regex);
    }

    [Fact]
    public void Expressions_FollowInfluxQlPrecedence()
    {
        Parser.ParseExpression("a + b * 2 > 3 OR c = 'x' AND d != 1")
            .ShouldBe(new Binary("OR",
                new Binary(">", new Binary("+", new VarRef("a"), new Binary("*", new VarRef("b"), new IntegerLiteral(2))), new IntegerLiteral(3)),
                new Binary("AND", new Binary("=", new VarRef("c"), new StringLiteral("x")), new Binary("!=", new VarRef("d"), new IntegerLiteral(1)))));
        Parser.ParseExpression("temp::float / 2").ShouldBe(new Binary("/", new VarRef("temp", "float"), new IntegerLiteral(2)));
        Parser.ParseExpression("-1.5").ShouldBe(new NumberLiteral(-1.5));
        Parser.ParseExpression("1h30m").ShouldBe(new DurationLiteral(5_400_000_000_000, "1h30m"));
    }

    [Fact]
    public void GroupBy_TagsWildcardRegexAndFills()
    {
        Select("SELECT count(v) FROM m GROUP BY *").GroupByAllTags.ShouldBeTrue();
        Select("SELECT count(v) FROM m GROUP BY /^r/").GroupByTagRegex.ShouldBe("^r");
        Select("SELECT count(v) FROM m GROUP BY time(1d) fill(none)").Fill.Kind.ShouldBe(FillKind.None);
        Select("SELECT count(v) FROM m GROUP BY time(1d) fill(-1)").Fill.ShouldBe(new Fill(FillKind.Value, -1L));
        Select("SELECT count(v) FROM m GROUP BY time(1d) fill(linear)").Fill.Kind.ShouldBe(FillKind.Linear);
    }

    [Fact]
    public void Show_Statements()
    {
        var statements = Parser.ParseStatements(
            "SHOW DATABASES; SHOW RETENTION POLICIES ON db; SHOW MEASUREMENTS WITH MEASUREMENT =~ /h.*/ LIMIT 2; " +
            "SHOW TAG KEYS FROM home; SHOW TAG VALUES FROM home WITH KEY IN (room, floor) WHERE room != 'x'; SHOW FIELD KEYS; SHOW SERIES ON db FROM home LIMIT 1");

        statements.Select(s => s.GetType().Name).ShouldBe(["ShowDatabasesStatement", "ShowRetentionPoliciesStatement", "ShowMeasurementsStatement",
            "ShowTagKeysStatement", "ShowTagValuesStatement", "ShowFieldKeysStatement", "ShowSeriesStatement"]);
        statements[2].ShouldBe(new ShowMeasurementsStatement(null, null, "h.*", null, 2, null));
        statements[4].ShouldBeOfType<ShowTagValuesStatement>().Keys.ShouldBe(["room", "floor"]);
        statements[6].ShouldBeOfType<ShowSeriesStatement>().Database.ShouldBe("db");
    }

    [Theory]
    [InlineData("SELECT FROM m", "error parsing query: found FROM, expected identifier, string, number, bool at line 1, char 8")]
    [InlineData("SELECT v FROM", "error parsing query: found EOF, expected identifier at line 1, char 14")]
    [InlineData("SELEC v FROM m", "error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1")]
    [InlineData("SELECT v FROM m LIMIT x", "error parsing query: found x, expected integer at line 1, char 23")]
    [InlineData("SELECT v FROM m\nWHERE", "error parsing query: found EOF, expected identifier, string, number, bool at line 2, char 6")]
    public void ParseErrors_SayWhatAndWhere(string text, string message)
    {
        Should.Throw<Scripting.Core.Errors.ScriptingException>(() => Parser.ParseStatements(text)).Message.ShouldBe(message);
    }

    [Fact]
    public void Lexer_ReadsStringsIdentifiersAndComments()
    {
        var tokens = new Lexer("SELECT \"a \\\"b\" -- comment\n FROM 'it\\'s' /* x */ 10ms 2.5 $p").All();

        tokens.Select(t => (t.Kind, t.Text)).ShouldBe([
            (TokenKind.Keyword, "SELECT"), (TokenKind.Identifier, "a \"b"), (TokenKind.Keyword, "FROM"), (TokenKind.String, "it's"),
            (TokenKind.Duration, "10ms"), (TokenKind.Number, "2.5"), (TokenKind.BoundParameter, "p"),
        ]);
    }
}

/// <summary>The parse errors InfluxDB 1.6.7 gave for the recorded cases (tests/cases/influxql/golden), word for word.</summary>
public sealed class RecordedParseErrorTests
{
    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "cases", "influxql", "golden"), "*.json")
            .SelectMany(file => System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateObject()
                .Where(c => c.Value.GetProperty("body") is { ValueKind: System.Text.Json.JsonValueKind.Object } body
                            && body.TryGetProperty("error", out var error) && error.GetString()!.StartsWith("error parsing query", StringComparison.Ordinal))
                .Select(c => new object[] { c.Value.GetProperty("q").GetString()!, c.Value.GetProperty("body").GetProperty("error").GetString()! }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void ParseError_IsInfluxDbs(string query, string error)
    {
        Should.Throw<Scripting.Core.Errors.ScriptingException>(() => Parser.ParseStatements(query)).Message.ShouldBe(error);
    }
}

using Scripting.Core.Errors;

namespace Scripting.Query.Statements;

/// <summary>
/// The first step of the query pipeline: finds the statements in a request and says which kind each is.
/// Exactly one read-only statement is accepted: a query (<c>SELECT</c>, <c>WITH</c>, <c>VALUES</c>, or a
/// parenthesised one), <c>SHOW TABLES</c>, <c>SHOW COLUMNS FROM t</c>, <c>DESCRIBE t</c> or
/// <c>EXPLAIN [ANALYZE] query</c>. Everything else is refused here, naming what it would have done.
/// </summary>
internal static class StatementParser
{
    private const string Allowed = "a query is one read-only statement: SELECT (or WITH ... SELECT), SHOW TABLES, SHOW COLUMNS FROM <table>, DESCRIBE <table> or EXPLAIN [ANALYZE] SELECT";

    private static readonly Dictionary<string, string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        ["attach"] = "it would open another database file",
        ["detach"] = "it would detach a database",
        ["use"] = "it would switch the database; name it with 'db' instead",
        ["copy"] = "it would read or write files",
        ["export"] = "it would write files",
        ["import"] = "it would read files",
        ["install"] = "it would install an extension",
        ["load"] = "it would load an extension",
        ["force"] = "it would install an extension",
        ["set"] = "it would change a setting",
        ["reset"] = "it would change a setting",
        ["pragma"] = "it would read or change a setting",
        ["create"] = "it would change the schema; tables are created by writing line protocol",
        ["drop"] = "it would delete data (a database is deleted with DELETE /api/v3/configure/database or 'scripting delete database')",
        ["alter"] = "it would change the schema; tables change by writing line protocol",
        ["comment"] = "it would change the schema",
        ["insert"] = "it would change stored data; write line protocol (/api/v3/write_lp) instead",
        ["update"] = "it would change stored data; write line protocol (/api/v3/write_lp) instead",
        ["delete"] = "it would change stored data",
        ["truncate"] = "it would change stored data",
        ["merge"] = "it would change stored data",
        ["upsert"] = "it would change stored data",
        ["begin"] = "transactions are not part of the query API",
        ["start"] = "transactions are not part of the query API",
        ["commit"] = "transactions are not part of the query API",
        ["rollback"] = "transactions are not part of the query API",
        ["abort"] = "transactions are not part of the query API",
        ["end"] = "transactions are not part of the query API",
        ["checkpoint"] = "the server maintains its storage itself",
        ["vacuum"] = "the server maintains its storage itself",
        ["analyze"] = "the server maintains its storage itself",
        ["call"] = "it would call a procedure",
        ["execute"] = "prepared statements are not part of the query API; use $name parameters",
        ["prepare"] = "prepared statements are not part of the query API; use $name parameters",
        ["deallocate"] = "prepared statements are not part of the query API",
        ["summarize"] = "it is not InfluxDB 3 SQL",
        ["pivot"] = "it is not InfluxDB 3 SQL",
        ["unpivot"] = "it is not InfluxDB 3 SQL",
        ["from"] = "it is not InfluxDB 3 SQL; write SELECT ... FROM",
    };

    public static Statement Parse(string sql)
    {
        var statements = Split(sql);
        if (statements.Count == 0)
        {
            throw Error("the query is empty: " + Allowed);
        }

        if (statements.Count > 1)
        {
            throw Error($"only one read-only statement per query: found {statements.Count}");
        }

        return Classify(statements[0]);
    }

    private static Statement Classify(List<Located> located)
    {
        var tokens = located.Select(l => l.Token).ToList();
        var first = tokens[0];
        if (first.IsWord("select") || first.IsWord("with") || first.IsWord("values") || first.IsSymbol("("))
        {
            return new Statement(StatementKind.Select, Text(located));
        }

        if (first.IsWord("explain"))
        {
            var analyze = tokens.Count > 1 && tokens[1].IsWord("analyze");
            var inner = tokens.Skip(analyze ? 2 : 1).ToList();
            if (inner.Count == 0 || !(inner[0].IsWord("select") || inner[0].IsWord("with") || inner[0].IsWord("values") || inner[0].IsSymbol("(")))
            {
                throw Error($"EXPLAIN takes a query: EXPLAIN [ANALYZE] SELECT ... ({Allowed})");
            }

            return new Statement(StatementKind.Explain, Text(located.Skip(analyze ? 2 : 1).ToList()), Analyze: analyze);
        }

        if (first.IsWord("show"))
        {
            return Show(tokens);
        }

        if (first.IsWord("describe") || first.IsWord("desc"))
        {
            return tokens.Count == 2 && TableName(tokens[1]) is { } table
                ? new Statement(StatementKind.Describe, string.Empty, table)
                : throw Error("DESCRIBE takes one table name: DESCRIBE <table>");
        }

        var keyword = first.Kind == SqlTokenKind.Word ? first.Text.ToUpperInvariant() : first.Text;
        var why = Refused.GetValueOrDefault(first.Text);
        throw Error(why is null
            ? $"'{keyword}' is not allowed: {Allowed}"
            : $"'{keyword}' is not allowed: {why}; {Allowed}");
    }

    private static Statement Show(List<SqlToken> tokens)
    {
        if (tokens.Count == 2 && tokens[1].IsWord("tables"))
        {
            return new Statement(StatementKind.ShowTables, string.Empty);
        }

        if (tokens.Count >= 2 && tokens[1].IsWord("databases"))
        {
            throw Error("SHOW DATABASES is not supported in SQL: list databases with GET /api/v3/configure/database or 'scripting show databases'");
        }

        if (tokens.Count == 4 && tokens[1].IsWord("columns") && (tokens[2].IsWord("from") || tokens[2].IsWord("in")) && TableName(tokens[3]) is { } table)
        {
            return new Statement(StatementKind.ShowColumns, string.Empty, table);
        }

        throw Error("SHOW takes TABLES or COLUMNS FROM <table>: " + Allowed);
    }

    private static string? TableName(SqlToken token) => token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier ? token.Identifier : null;

    /// <summary>Significant tokens of each statement with their places, split on top-level semicolons; empty statements dropped.</summary>
    private static List<List<Located>> Split(string sql)
    {
        var statements = new List<List<Located>>();
        var current = new List<Located>();
        var depth = 0;
        var offset = 0;
        foreach (var token in SqlTokenizer.Tokenize(sql))
        {
            var start = offset;
            offset += token.Text.Length;
            if (!token.IsSignificant)
            {
                continue;
            }

            depth += token.IsSymbol("(") ? 1 : token.IsSymbol(")") ? -1 : 0;
            if (depth <= 0 && token.IsSymbol(";"))
            {
                if (current.Count > 0)
                {
                    statements.Add(current);
                }

                current = [];
                continue;
            }

            current.Add(new Located(token, sql, start));
        }

        if (current.Count > 0)
        {
            statements.Add(current);
        }

        return statements;
    }

    /// <summary>The statement's text as written, from its first significant token to its last.</summary>
    private static string Text(List<Located> tokens) =>
        tokens[0].Source[tokens[0].Start..(tokens[^1].Start + tokens[^1].Token.Text.Length)];

    private static ScriptingException Error(string message) => new(ErrorKind.BadRequest, message);

    private readonly record struct Located(SqlToken Token, string Source, int Start);
}

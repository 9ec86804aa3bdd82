using System.Globalization;
using Scripting.Core.LineProtocol;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Sql;

/// <summary>
/// Rewrites InfluxDB 3 SQL (DataFusion's dialect) into DuckDB SQL. Only what differs is touched:
/// <list type="bullet">
/// <item><c>SHOW TABLES</c> and <c>SHOW COLUMNS FROM t</c> become queries on the InfluxDB-shaped information schema;</item>
/// <item><c>information_schema.columns|tables</c> point at those InfluxDB-shaped views;</item>
/// <item>an integer compared with <c>time</c> is read with the line-protocol auto-precision rule (DECISIONS.md);</item>
/// <item><c>now()</c> yields a UTC timestamp comparable with <c>time</c>.</item>
/// </list>
/// <c>$name</c> parameters are left as they are: DuckDB binds them natively.
/// </summary>
internal static class SqlTranslator
{
    private static readonly HashSet<string> Comparisons = ["=", "<", ">", "<=", ">=", "<>", "!="];

    public static string Translate(string sql) => Translate(sql, null, out _);

    /// <summary>Also rewrites <c>system.NAME</c> for the names in <paramref name="systemTables"/> to a temp table, listing those used.</summary>
    public static string Translate(string sql, IEnumerable<string>? systemTables, out List<string> usedSystemTables)
    {
        usedSystemTables = [];
        var known = new HashSet<string>(systemTables ?? [], StringComparer.OrdinalIgnoreCase);
        var tokens = SqlTokenizer.Tokenize(sql);
        var significant = Enumerable.Range(0, tokens.Count).Where(i => tokens[i].IsSignificant).ToList();
        while (significant.Count > 0 && tokens[significant[^1]].IsSymbol(";"))
        {
            tokens.RemoveAt(significant[^1]);
            significant.RemoveAt(significant.Count - 1);
        }

        var show = TranslateShow(tokens, significant);
        if (show is not null)
        {
            return show;
        }

        var texts = tokens.Select(t => t.Text).ToArray();
        for (var s = 0; s < significant.Count; s++)
        {
            var token = tokens[significant[s]];
            if (token.IsWord("information_schema") && At(tokens, significant, s + 1).IsSymbol(".")
                && At(tokens, significant, s + 2).Identifier?.ToLowerInvariant() is "columns" or "tables")
            {
                texts[significant[s]] = SqlNames.InformationSchema;
            }
            else if (token.IsWord("now") && At(tokens, significant, s + 1).IsSymbol("(") && At(tokens, significant, s + 2).IsSymbol(")")
                && !At(tokens, significant, s - 1).IsSymbol("."))
            {
                texts[significant[s]] = "CAST(now() AS TIMESTAMP)";
                texts[significant[s + 1]] = string.Empty;
                texts[significant[s + 2]] = string.Empty;
            }
            else if (token.IsWord("system") && At(tokens, significant, s + 1).IsSymbol(".")
                && At(tokens, significant, s + 2).Identifier is { } systemTable && known.Contains(systemTable)
                && !At(tokens, significant, s - 1).IsSymbol("."))
            {
                var name = systemTable.ToLowerInvariant();
                texts[significant[s]] = SystemTableName(name);
                texts[significant[s + 1]] = string.Empty;
                texts[significant[s + 2]] = string.Empty;
                if (!usedSystemTables.Contains(name))
                {
                    usedSystemTables.Add(name);
                }
            }
            else if (IsTimeColumn(token))
            {
                RewriteTimeComparison(tokens, significant, texts, s);
            }
        }

        return string.Concat(texts);
    }

    /// <summary>The temp table a query reads for <c>system.NAME</c>.</summary>
    public static string SystemTableName(string name) => $"temp.main.{SqlNames.Quote("__system_" + name)}";

    private static void RewriteTimeComparison(List<SqlToken> tokens, List<int> significant, string[] texts, int s)
    {
        var next = At(tokens, significant, s + 1);
        if (next.Kind == SqlTokenKind.Symbol && Comparisons.Contains(next.Text))
        {
            RewriteInteger(tokens, significant, texts, s + 2);
        }
        else if (next.IsWord("between"))
        {
            var afterFirst = RewriteInteger(tokens, significant, texts, s + 2);
            if (afterFirst > 0 && At(tokens, significant, afterFirst).IsWord("and"))
            {
                RewriteInteger(tokens, significant, texts, afterFirst + 1);
            }
        }

        var previous = At(tokens, significant, s - 1);
        if (previous.Kind == SqlTokenKind.Symbol && Comparisons.Contains(previous.Text))
        {
            var number = s - 2;
            var negative = At(tokens, significant, number - 1).IsSymbol("-") && !IsOperand(At(tokens, significant, number - 2));
            RewriteInteger(tokens, significant, texts, negative ? number - 1 : number);
        }
    }

    /// <summary>Rewrites the integer literal (optionally negative) at significant index s; returns the index after it, or 0.</summary>
    private static int RewriteInteger(List<SqlToken> tokens, List<int> significant, string[] texts, int s)
    {
        var negative = At(tokens, significant, s).IsSymbol("-");
        var numberIndex = negative ? s + 1 : s;
        var number = At(tokens, significant, numberIndex);
        if (number.Kind != SqlTokenKind.Number || !long.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return 0;
        }

        // A literal followed by an arithmetic operator is part of an expression, not a timestamp.
        var following = At(tokens, significant, numberIndex + 1);
        if (following.Kind == SqlTokenKind.Symbol && following.Text is "+" or "-" or "*" or "/" or "%")
        {
            return 0;
        }

        value = negative ? -value : value;
        if (!PrecisionNames.TryToNanoseconds(value, Precision.Auto, out var nanoseconds))
        {
            return 0;
        }

        if (negative)
        {
            texts[significant[s]] = string.Empty;
        }

        texts[significant[numberIndex]] = $"make_timestamp_ns({nanoseconds.ToString(CultureInfo.InvariantCulture)})";
        return numberIndex + 1;
    }

    private static bool IsOperand(SqlToken token) =>
        token.Kind is SqlTokenKind.Number or SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier or SqlTokenKind.String or SqlTokenKind.Parameter
        || token.IsSymbol(")");

    private static bool IsTimeColumn(SqlToken token) =>
        string.Equals(token.Identifier, "time", token.Kind == SqlTokenKind.Word ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static SqlToken At(List<SqlToken> tokens, List<int> significant, int s) =>
        s >= 0 && s < significant.Count ? tokens[significant[s]] : new SqlToken(SqlTokenKind.Space, string.Empty);

    private static string? TranslateShow(List<SqlToken> tokens, List<int> significant)
    {
        if (significant.Count < 2 || !At(tokens, significant, 0).IsWord("show"))
        {
            return null;
        }

        if (significant.Count == 2 && At(tokens, significant, 1).IsWord("tables"))
        {
            return $"SELECT table_catalog, table_schema, table_name, table_type FROM {SqlNames.InformationSchema}.tables ORDER BY table_name";
        }

        if (significant.Count == 4 && At(tokens, significant, 1).IsWord("columns")
            && (At(tokens, significant, 2).IsWord("from") || At(tokens, significant, 2).IsWord("in"))
            && At(tokens, significant, 3).Identifier is { } table)
        {
            return $"SELECT table_catalog, table_schema, table_name, column_name, data_type, is_nullable FROM {SqlNames.InformationSchema}.columns " +
                   $"WHERE table_name = {SqlNames.Literal(table)} ORDER BY column_name";
        }

        return null;
    }
}

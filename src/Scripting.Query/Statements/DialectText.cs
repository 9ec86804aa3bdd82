using System.Text;

namespace Scripting.Query.Statements;

/// <summary>
/// What InfluxDB 3's SQL reads differently from the store's parser, settled on the text before parsing,
/// because the syntax tree no longer shows it: unquoted identifiers fold to lower case (<c>AS N</c> names
/// the column <c>n</c>; <c>"N"</c> keeps its case); MySQL's unsigned types (<c>BIGINT UNSIGNED</c>);
/// <c>approx_percentile_cont(p) WITHIN GROUP (ORDER BY x)</c>, which the store knows as <c>percentile_cont</c>.
/// Strings, quoted identifiers, parameters and comments are left as written.
/// </summary>
internal static class DialectText
{
    private static readonly Dictionary<string, string> Unsigned = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tinyint"] = "utinyint", ["smallint"] = "usmallint", ["int"] = "uinteger", ["integer"] = "uinteger", ["bigint"] = "ubigint",
    };

    public static string Normalize(string sql)
    {
        var tokens = SqlTokenizer.Tokenize(sql);
        var text = new StringBuilder(sql.Length);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != SqlTokenKind.Word)
            {
                text.Append(token.Text);
                continue;
            }

            var next = NextSignificant(tokens, i);
            if (Unsigned.TryGetValue(token.Text, out var unsigned) && next >= 0 && tokens[next].IsWord("unsigned"))
            {
                text.Append(unsigned);
                i = next;
                continue;
            }

            if (token.IsWord("approx_percentile_cont") && WithinGroupFollows(tokens, next))
            {
                text.Append("percentile_cont");
                continue;
            }

            text.Append(token.Text.ToLowerInvariant());
        }

        return text.ToString();
    }

    private static int NextSignificant(List<SqlToken> tokens, int index)
    {
        for (var j = index + 1; j < tokens.Count; j++)
        {
            if (tokens[j].IsSignificant)
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>True when the call opening at <paramref name="open"/> is followed by <c>WITHIN GROUP</c>.</summary>
    private static bool WithinGroupFollows(List<SqlToken> tokens, int open)
    {
        if (open < 0 || !tokens[open].IsSymbol("("))
        {
            return false;
        }

        var depth = 0;
        for (var j = open; j < tokens.Count; j++)
        {
            if (tokens[j].IsSymbol("("))
            {
                depth++;
            }
            else if (tokens[j].IsSymbol(")") && --depth == 0)
            {
                var after = NextSignificant(tokens, j);
                return after >= 0 && tokens[after].IsWord("within");
            }
        }

        return false;
    }
}

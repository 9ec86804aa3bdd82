namespace Scripting.Query.Statements;

/// <summary>
/// Splits SQL into tokens, keeping every character (spaces and comments too) so that joining the
/// tokens gives the input back. Enough of SQL's lexical rules to rewrite safely: nothing inside a
/// string, quoted identifier or comment is ever mistaken for a keyword.
/// </summary>
internal static class SqlTokenizer
{
    private const string TwoCharSymbols = "<=>=<>!=::||";

    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var c = sql[i];
            SqlTokenKind kind;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                {
                    i++;
                }

                kind = SqlTokenKind.Space;
            }
            else if (c == '-' && Peek(sql, i + 1) == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }

                kind = SqlTokenKind.Comment;
            }
            else if (c == '/' && Peek(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                kind = SqlTokenKind.Comment;
            }
            else if (c is '\'' or '"')
            {
                i = EndOfQuoted(sql, i, c);
                kind = c == '\'' ? SqlTokenKind.String : SqlTokenKind.QuotedIdentifier;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(sql, i + 1))))
            {
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.'))
                {
                    i++;
                }

                if (i < sql.Length && sql[i] is 'e' or 'E' && (char.IsAsciiDigit(Peek(sql, i + 1)) || (Peek(sql, i + 1) is '+' or '-' && char.IsAsciiDigit(Peek(sql, i + 2)))))
                {
                    i += 2;
                    while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                    {
                        i++;
                    }
                }

                kind = SqlTokenKind.Number;
            }
            else if (c == '$' && (char.IsLetterOrDigit(Peek(sql, i + 1)) || Peek(sql, i + 1) == '_'))
            {
                i++;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }

                kind = SqlTokenKind.Parameter;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                kind = SqlTokenKind.Word;
            }
            else
            {
                i += i + 1 < sql.Length && IsTwoCharSymbol(sql[i], sql[i + 1]) ? 2 : 1;
                kind = SqlTokenKind.Symbol;
            }

            tokens.Add(new SqlToken(kind, sql[start..i]));
        }

        return tokens;
    }

    private static char Peek(string sql, int index) => index < sql.Length ? sql[index] : '\0';

    private static bool IsTwoCharSymbol(char first, char second)
    {
        for (var i = 0; i < TwoCharSymbols.Length; i += 2)
        {
            if (TwoCharSymbols[i] == first && TwoCharSymbols[i + 1] == second)
            {
                return true;
            }
        }

        return false;
    }

    private static int EndOfQuoted(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (Peek(sql, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }
}

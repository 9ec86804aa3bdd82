using System.Text;

namespace Scripting.InfluxQL.Syntax;

/// <summary>
/// InfluxQL's tokens as InfluxDB 1.x's scanner reads them: identifiers bare or double-quoted, keywords
/// in any case, single-quoted strings, integers, numbers, duration literals (<c>10m</c>, <c>1h30m</c>),
/// regular expressions between slashes (where one may stand), <c>$name</c> parameters, comments.
/// </summary>
internal sealed class Lexer(string text)
{
    /// <summary>The words the parser treats as keywords; any other word is an identifier.</summary>
    public static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALL", "ALTER", "ANALYZE", "AND", "ANY", "AS", "ASC", "BEGIN", "BY", "CARDINALITY", "CREATE", "CONTINUOUS", "DATABASE",
        "DATABASES", "DEFAULT", "DELETE", "DESC", "DESTINATIONS", "DIAGNOSTICS", "DISTINCT", "DROP", "DURATION", "END", "EVERY",
        "EXACT", "EXPLAIN", "FIELD", "FOR", "FROM", "GRANT", "GRANTS", "GROUP", "GROUPS", "IN", "INF", "INSERT", "INTO", "KEY",
        "KEYS", "KILL", "LIMIT", "MEASUREMENT", "MEASUREMENTS", "NAME", "OFFSET", "ON", "OR", "ORDER", "PASSWORD", "POLICIES",
        "POLICY", "PRIVILEGES", "QUERIES", "QUERY", "READ", "REPLICATION", "RESAMPLE", "RETENTION", "REVOKE", "SELECT", "SERIES",
        "SET", "SHARD", "SHARDS", "SHOW", "SLIMIT", "SOFFSET", "STATS", "SUBSCRIPTION", "SUBSCRIPTIONS", "TAG", "TO", "USER", "USERS",
        "VALUES", "WHERE", "WITH", "WRITE", "TRUE", "FALSE",
    };

    private static readonly string[] DurationUnits = ["ns", "ms", "u", "µ", "s", "m", "h", "d", "w"];

    private int _position;
    private int _line = 1;
    private int _lineStart;

    /// <summary>The next token; a slash starts a regular expression when <paramref name="regexAllowed"/>.</summary>
    public Token Next(bool regexAllowed = false)
    {
        SkipSpaceAndComments();
        var (line, column) = (_line, _position - _lineStart + 1);
        if (_position >= text.Length)
        {
            return new Token(TokenKind.Eof, string.Empty, line, column);
        }

        var c = text[_position];
        if (regexAllowed && c == '/')
        {
            return Regex(line, column);
        }

        if (char.IsLetter(c) || c == '_')
        {
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            var word = text[start.._position];
            return new Token(Keywords.Contains(word) ? TokenKind.Keyword : TokenKind.Identifier, word, line, column);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1])))
        {
            return NumberOrDuration(line, column);
        }

        switch (c)
        {
            case '"':
                return Quoted('"', TokenKind.Identifier, line, column);
            case '\'':
                return Quoted('\'', TokenKind.String, line, column);
            case '$':
                _position++;
                var start = _position;
                while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_'))
                {
                    _position++;
                }

                return new Token(TokenKind.BoundParameter, text[start.._position], line, column);
        }

        foreach (var symbol in (string[])["=~", "!~", "!=", "<>", "<=", ">=", "::"])
        {
            if (string.CompareOrdinal(text, _position, symbol, 0, symbol.Length) == 0)
            {
                _position += symbol.Length;
                return new Token(TokenKind.Operator, symbol, line, column);
            }
        }

        _position++;
        return "=<>+-*/%&|^(),;.:".Contains(c, StringComparison.Ordinal)
            ? new Token(TokenKind.Operator, c.ToString(), line, column)
            : new Token(TokenKind.Illegal, c.ToString(), line, column);
    }

    /// <summary>All tokens, for tests.</summary>
    public IReadOnlyList<Token> All()
    {
        var tokens = new List<Token>();
        while (Next() is { Kind: not TokenKind.Eof } token)
        {
            tokens.Add(token);
        }

        return tokens;
    }

    public (int Position, int Line, int LineStart) Mark() => (_position, _line, _lineStart);

    public void Reset((int Position, int Line, int LineStart) mark) => (_position, _line, _lineStart) = mark;

    private void SkipSpaceAndComments()
    {
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == '\n')
            {
                _position++;
                _line++;
                _lineStart = _position;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '-' && _position + 1 < text.Length && text[_position + 1] == '-')
            {
                while (_position < text.Length && text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (c == '/' && _position + 1 < text.Length && text[_position + 1] == '*')
            {
                var end = text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                _position = end < 0 ? text.Length : end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private Token Quoted(char quote, TokenKind kind, int line, int column)
    {
        var value = new StringBuilder();
        _position++;
        while (_position < text.Length)
        {
            var c = text[_position++];
            if (c == quote)
            {
                return new Token(kind, value.ToString(), line, column);
            }

            if (c == '\\' && _position < text.Length)
            {
                var escaped = text[_position++];
                value.Append(escaped switch { 'n' => '\n', 't' => '\t', '\\' => '\\', '\'' => '\'', '"' => '"', _ => throw Error($"bad escape sequence \\{escaped}", line, column) });
                continue;
            }

            if (c == '\n')
            {
                break;
            }

            value.Append(c);
        }

        throw Error(kind == TokenKind.String ? "unterminated string" : "unterminated quoted identifier", line, column);
    }

    private Token Regex(int line, int column)
    {
        var value = new StringBuilder();
        _position++;
        while (_position < text.Length)
        {
            var c = text[_position++];
            if (c == '/')
            {
                return new Token(TokenKind.Regex, value.ToString(), line, column);
            }

            if (c == '\\' && _position < text.Length && text[_position] == '/')
            {
                value.Append('/');
                _position++;
                continue;
            }

            value.Append(c);
        }

        throw Error("unterminated regex", line, column);
    }

    private Token NumberOrDuration(int line, int column)
    {
        var start = _position;
        while (_position < text.Length && char.IsAsciiDigit(text[_position]))
        {
            _position++;
        }

        var isFloat = false;
        if (_position < text.Length && text[_position] == '.' && _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1]))
        {
            isFloat = true;
            _position++;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }
        }

        if (!isFloat && Unit() is { } first)
        {
            // A duration: one or more integer-unit pairs (1h30m).
            _position += first.Length;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                var mark = _position;
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }

                if (Unit() is not { } next)
                {
                    _position = mark;
                    break;
                }

                _position += next.Length;
            }

            return new Token(TokenKind.Duration, text[start.._position], line, column);
        }

        if (_position < text.Length && text[_position] is 'e' or 'E' && _position + 1 < text.Length && (char.IsAsciiDigit(text[_position + 1]) || text[_position + 1] is '+' or '-'))
        {
            isFloat = true;
            _position += 2;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }
        }

        return new Token(isFloat ? TokenKind.Number : TokenKind.Integer, text[start.._position], line, column);
    }

    /// <summary>The duration unit at the position, not followed by more of a word; null when there is none.</summary>
    private string? Unit()
    {
        foreach (var unit in DurationUnits)
        {
            if (string.CompareOrdinal(text, _position, unit, 0, unit.Length) == 0)
            {
                var after = _position + unit.Length;
                if (after >= text.Length || !(char.IsLetter(text[after]) || text[after] == '_'))
                {
                    return unit;
                }
            }
        }

        return null;
    }

    private static Scripting.Core.Errors.ScriptingException Error(string message, int line, int column) =>
        InfluxQlErrors.Invalid($"error parsing query: {message} at line {line}, char {column}");
}

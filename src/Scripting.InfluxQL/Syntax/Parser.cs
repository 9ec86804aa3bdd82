using System.Globalization;

namespace Scripting.InfluxQL.Syntax;

/// <summary>
/// InfluxQL's statements as InfluxDB parses them: <c>SELECT</c> (fields, sources, conditions, grouping,
/// fill, order, limits, time zone) and the <c>SHOW</c> statements, several separated by <c>;</c>. A parse
/// error says what was found, what was expected and where: <c>error parsing query: found FROM, expected
/// identifier, string, number, bool at line 1, char 8</c>.
/// </summary>
internal sealed partial class Parser
{
    private const string ExpressionStart = "identifier, string, number, bool";

    private readonly Lexer _lexer;
    private Token _current;
    private bool _peeked;
    private (int Position, int Line, int LineStart) _markBeforeCurrent;

    private Parser(string text) => _lexer = new Lexer(text);

    /// <summary>The statements of <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<Statement> ParseStatements(string text)
    {
        var parser = new Parser(text);
        var statements = new List<Statement>();
        while (true)
        {
            var token = parser.Peek();
            if (token.IsOperator(";"))
            {
                parser.Take();
                continue;
            }

            if (token.Kind == TokenKind.Eof)
            {
                break;
            }

            statements.Add(parser.Statement());
            var end = parser.Take();
            if (end.Kind != TokenKind.Eof && !end.IsOperator(";"))
            {
                throw Expected(end, ";");
            }
        }

        return statements.Count > 0 ? statements : throw InfluxQlErrors.Invalid("error parsing query: found EOF, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1");
    }

    /// <summary>One expression (for tests and for conditions given alone).</summary>
    public static Expr ParseExpression(string text)
    {
        var parser = new Parser(text);
        var expression = parser.Expression();
        var end = parser.Take();
        return end.Kind == TokenKind.Eof ? expression : throw Expected(end, "EOF");
    }

    private Statement Statement()
    {
        var first = Take();
        if (first.Is("SELECT"))
        {
            return Select();
        }

        if (first.Is("SHOW"))
        {
            return Show();
        }

        if (first.Is("CREATE") || first.Is("DROP") || first.Is("ALTER") || first.Is("GRANT") || first.Is("REVOKE") || first.Is("KILL")
            || first.Is("DELETE") || first.Is("SET") || first.Is("EXPLAIN"))
        {
            throw InfluxQlErrors.Invalid($"This feature is not implemented: {first.Text.ToUpperInvariant()} statements: InfluxQL here reads data (SELECT and SHOW)");
        }

        throw Expected(first, "SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL");
    }

    private SelectStatement Select()
    {
        var fields = new List<SelectField>();
        do
        {
            var expression = Expression();
            string? alias = null;
            if (Peek().Is("AS"))
            {
                Take();
                alias = Identifier();
            }

            fields.Add(new SelectField(expression, alias));
        }
        while (TakeIf(","));

        string? into = null;
        if (Peek().Is("INTO"))
        {
            Take();
            into = string.Join('.', Path());
        }

        Keyword("FROM");
        var sources = Sources();
        Expr? condition = null;
        if (Peek().Is("WHERE"))
        {
            Take();
            condition = Expression();
        }

        TimeDimension? time = null;
        var tags = new List<string>();
        string? tagRegex = null;
        var allTags = false;
        if (Peek().Is("GROUP"))
        {
            Take();
            Keyword("BY");
            do
            {
                var token = Peek(regexAllowed: true);
                if (token.Kind == TokenKind.Regex)
                {
                    Take(regexAllowed: true);
                    tagRegex = token.Text;
                }
                else if (token.IsOperator("*"))
                {
                    Take();
                    allTags = true;
                }
                else if (token.Kind == TokenKind.Identifier && token.Text.Equals("time", StringComparison.OrdinalIgnoreCase) && LooksLikeCall())
                {
                    time = TimeDimension();
                }
                else
                {
                    tags.Add(Identifier());
                }
            }
            while (TakeIf(","));
        }

        var fill = new Fill(FillKind.Null, null);
        if (Peek().Kind == TokenKind.Identifier && Peek().Text.Equals("fill", StringComparison.OrdinalIgnoreCase))
        {
            fill = FillOption();
        }

        var descending = false;
        if (Peek().Is("ORDER"))
        {
            Take();
            Keyword("BY");
            var column = Take();
            if (!(column.Kind == TokenKind.Identifier && column.Text.Equals("time", StringComparison.OrdinalIgnoreCase)))
            {
                throw InfluxQlErrors.Invalid("error parsing query: only ORDER BY time supported at this time");
            }

            if (Peek().Is("DESC"))
            {
                Take();
                descending = true;
            }
            else if (Peek().Is("ASC"))
            {
                Take();
            }
        }

        var (limit, offset, seriesLimit, seriesOffset) = ((long?)null, (long?)null, (long?)null, (long?)null);
        while (true)
        {
            if (Peek().Is("LIMIT"))
            {
                Take();
                limit = Count("LIMIT");
            }
            else if (Peek().Is("OFFSET"))
            {
                Take();
                offset = Count("OFFSET");
            }
            else if (Peek().Is("SLIMIT"))
            {
                Take();
                seriesLimit = Count("SLIMIT");
            }
            else if (Peek().Is("SOFFSET"))
            {
                Take();
                seriesOffset = Count("SOFFSET");
            }
            else
            {
                break;
            }
        }

        string? zone = null;
        if (Peek().Kind == TokenKind.Identifier && Peek().Text.Equals("tz", StringComparison.OrdinalIgnoreCase))
        {
            Take();
            Operator("(");
            var name = Take();
            if (name.Kind != TokenKind.String)
            {
                throw Expected(name, "string");
            }

            zone = name.Text;
            Operator(")");
        }

        return new SelectStatement(fields, sources, condition, time, tags, tagRegex, allTags, fill, descending, limit, offset, seriesLimit, seriesOffset, zone, into);
    }

    private TimeDimension TimeDimension()
    {
        Take(); // time
        Operator("(");
        var interval = Take();
        if (interval.Kind != TokenKind.Duration)
        {
            throw Expected(interval, "duration");
        }

        var (offset, offsetIsNow) = (0L, false);
        if (TakeIf(","))
        {
            var negative = TakeIf("-");
            var token = Take();
            if (token.Kind == TokenKind.Duration)
            {
                offset = (negative ? -1 : 1) * Nanoseconds(token);
            }
            else if (token.Kind == TokenKind.Identifier && token.Text.Equals("now", StringComparison.OrdinalIgnoreCase))
            {
                Operator("(");
                Operator(")");
                offsetIsNow = true;
            }
            else
            {
                throw Expected(token, "duration");
            }
        }

        Operator(")");
        return new TimeDimension(Nanoseconds(interval), offset, offsetIsNow);
    }

    private Fill FillOption()
    {
        Take(); // fill
        Operator("(");
        var token = Take();
        var negative = false;
        if (token.IsOperator("-"))
        {
            negative = true;
            token = Take();
        }

        Fill fill = token.Kind switch
        {
            TokenKind.Identifier when token.Text.Equals("null", StringComparison.OrdinalIgnoreCase) => new Fill(FillKind.Null, null),
            TokenKind.Identifier when token.Text.Equals("none", StringComparison.OrdinalIgnoreCase) => new Fill(FillKind.None, null),
            TokenKind.Identifier when token.Text.Equals("previous", StringComparison.OrdinalIgnoreCase) => new Fill(FillKind.Previous, null),
            TokenKind.Identifier when token.Text.Equals("linear", StringComparison.OrdinalIgnoreCase) => new Fill(FillKind.Linear, null),
            TokenKind.Integer => new Fill(FillKind.Value, (negative ? -1 : 1) * long.Parse(token.Text, CultureInfo.InvariantCulture)),
            TokenKind.Number => new Fill(FillKind.Value, (negative ? -1 : 1) * double.Parse(token.Text, CultureInfo.InvariantCulture)),
            _ => throw InfluxQlErrors.Invalid($"error parsing query: fill must be a function call at line {token.Line}, char {token.Char}"),
        };
        Operator(")");
        return fill;
    }

    private string Identifier()
    {
        var token = Take();
        return token.Kind == TokenKind.Identifier ? token.Text : throw Expected(token, "identifier");
    }

    private string Regex()
    {
        var token = Take(regexAllowed: true);
        return token.Kind == TokenKind.Regex ? token.Text : throw Expected(token, "regex");
    }

    private void Keyword(string keyword)
    {
        var token = Take();
        if (!token.Is(keyword))
        {
            throw Expected(token, keyword);
        }
    }

    private void Operator(string symbol)
    {
        var token = Take();
        if (!token.IsOperator(symbol))
        {
            throw Expected(token, symbol);
        }
    }

    private bool TakeIf(string symbol)
    {
        if (!Peek().IsOperator(symbol))
        {
            return false;
        }

        Take();
        return true;
    }

    /// <summary>True when the token after the current one opens a call (<c>time(</c>).</summary>
    private bool LooksLikeCall()
    {
        var saved = (_current, _peeked, _markBeforeCurrent, _lexer.Mark());
        Take();
        var open = Peek().IsOperator("(");
        (_current, _peeked, _markBeforeCurrent) = (saved.Item1, saved.Item2, saved.Item3);
        _lexer.Reset(saved.Item4);
        return open;
    }

    /// <summary>The next token, not taken; with <paramref name="regexAllowed"/> a slash is read as a regular expression (again, if it was read as an operator).</summary>
    private Token Peek(bool regexAllowed = false)
    {
        if (!_peeked)
        {
            _markBeforeCurrent = _lexer.Mark();
            _current = _lexer.Next(regexAllowed);
            _peeked = true;
        }
        else if (regexAllowed && _current.IsOperator("/"))
        {
            _lexer.Reset(_markBeforeCurrent);
            _current = _lexer.Next(regexAllowed: true);
        }

        return _current;
    }

    private Token Take(bool regexAllowed = false)
    {
        var token = Peek(regexAllowed);
        _peeked = false;
        return token;
    }

    private static long Nanoseconds(Token duration)
    {
        long total = 0;
        var text = duration.Text;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            var amount = long.Parse(text.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            total += amount * text[unitStart..i] switch
            {
                "ns" => 1L,
                "u" or "µ" => 1_000L,
                "ms" => 1_000_000L,
                "s" => 1_000_000_000L,
                "m" => 60_000_000_000L,
                "h" => 3_600_000_000_000L,
                "d" => 86_400_000_000_000L,
                _ => 604_800_000_000_000L,
            };
        }

        return total;
    }

    private static Scripting.Core.Errors.ScriptingException Expected(Token found, string expected) =>
        InfluxQlErrors.Invalid($"error parsing query: found {found.Found}, expected {expected} at line {found.Line}, char {found.Char}");
}

using System.Globalization;
using Scripting.Core.Catalog;
using Scripting.Core.Time;
using Scripting.InfluxQL.Syntax;

namespace Scripting.InfluxQL.Planning;

/// <summary>
/// A WHERE condition as SQL over one measurement's table, with InfluxQL's meaning: a tag the table or a row
/// lacks is the empty string (<c>room != 'x'</c> holds for a point without <c>room</c>); a regular
/// expression matches anywhere unless anchored; <c>time</c> compares with RFC 3339 strings, integers
/// (nanoseconds) and <c>now()</c> plus or minus durations, folded to instants when the statement is planned.
/// </summary>
internal sealed class Conditions(TableDefinition? table, long now)
{
    public string? Sql(Expr? condition) => condition is null ? null : Of(condition);

    private string Of(Expr expression) => expression switch
    {
        Paren p => Of(p.Inner),
        Binary { Operator: "AND" or "OR" } b => $"({Of(b.Left)} {b.Operator} {Of(b.Right)})",
        Binary b when Name(b.Left) is { } left => Comparison(left, b.Operator, b.Right),
        Binary b when Name(b.Right) is { } right => Comparison(right, Flipped(b.Operator), b.Left),
        BooleanLiteral { Value: var value } => value ? "TRUE" : "FALSE",
        _ => throw InfluxQlErrors.Invalid($"invalid condition: {ExprText.Of(expression)}"),
    };

    private string Comparison(string column, string op, Expr value)
    {
        if (column.Equals("time", StringComparison.OrdinalIgnoreCase))
        {
            return $"time {(op == "!=" ? "<>" : op)} {SqlText.Instant(Time(value))}";
        }

        var type = table?.Columns.FirstOrDefault(c => c.Name == column)?.Type;
        if (value is RegexLiteral regex)
        {
            var subject = type is null ? "''" : type == ColumnType.Tag ? $"coalesce({SqlText.Identifier(column)}, '')" : SqlText.Identifier(column);
            return $"{subject} {(op == "=~" ? "~" : "!~")} {SqlText.Literal(regex.Pattern)}";
        }

        var literal = Literal(value);
        var sqlOp = op == "!=" ? "<>" : op;
        if (type is null or ColumnType.Tag)
        {
            // A missing tag is the empty string.
            var subject = type is null ? "''" : $"coalesce({SqlText.Identifier(column)}, '')";
            return $"{subject} {sqlOp} {literal}";
        }

        return $"{SqlText.Identifier(column)} {sqlOp} {literal}";
    }

    /// <summary>The instant a time operand names, in nanoseconds.</summary>
    public long Time(Expr value) => value switch
    {
        Paren p => Time(p.Inner),
        StringLiteral s => Rfc3339(s.Value),
        IntegerLiteral i => i.Value,
        NumberLiteral n => (long)n.Value,
        DurationLiteral d => d.Nanoseconds,
        Call { Name: "now", Arguments.Count: 0 } => now,
        Binary { Operator: "+" } b => Time(b.Left) + Time(b.Right),
        Binary { Operator: "-" } b => Time(b.Left) - Time(b.Right),
        _ => throw InfluxQlErrors.Invalid($"invalid time comparison: {ExprText.Of(value)}"),
    };

    private static string Literal(Expr value) => value switch
    {
        StringLiteral s => SqlText.Literal(s.Value),
        IntegerLiteral i => i.Value.ToString(CultureInfo.InvariantCulture),
        NumberLiteral n => SqlText.Number(n.Value),
        BooleanLiteral b => b.Value ? "TRUE" : "FALSE",
        _ => throw InfluxQlErrors.Invalid($"invalid comparison operand: {ExprText.Of(value)}"),
    };

    private static string? Name(Expr expression) => expression switch
    {
        VarRef v => v.Name,
        Paren p => Name(p.Inner),
        _ => null,
    };

    private static string Flipped(string op) => op switch
    {
        "<" => ">",
        ">" => "<",
        "<=" => ">=",
        ">=" => "<=",
        _ => op,
    };

    /// <summary>RFC 3339 text (or a date, or a date and time without a zone, read as UTC) in nanoseconds, fractions to the nanosecond.</summary>
    public static long Rfc3339(string text)
    {
        var trimmed = text.Trim();
        var fraction = 0L;
        var dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        var withoutFraction = trimmed;
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < trimmed.Length && char.IsAsciiDigit(trimmed[end]))
            {
                end++;
            }

            var digits = trimmed[(dot + 1)..end];
            fraction = long.Parse(digits.PadRight(9, '0')[..9], CultureInfo.InvariantCulture);
            withoutFraction = trimmed[..dot] + trimmed[end..];
        }

        if (!DateTimeOffset.TryParse(withoutFraction, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            throw InfluxQlErrors.Invalid($"invalid timestamp string: '{text}'");
        }

        return UnixNanoseconds.From(instant) + fraction;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Scripting.InfluxQL.Syntax;

/// <summary>An expression written back as InfluxQL, as InfluxDB prints it (identifiers quoted where they must be).</summary>
internal static partial class ExprText
{
    public static string Of(Expr expression) => expression switch
    {
        VarRef v => Identifier(v.Name) + (v.Cast is null ? string.Empty : "::" + v.Cast),
        Wildcard w => "*" + (w.Cast is null ? string.Empty : "::" + w.Cast),
        RegexLiteral r => "/" + r.Pattern.Replace("/", "\\/", StringComparison.Ordinal) + "/",
        StringLiteral s => "'" + s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
        IntegerLiteral i => i.Value.ToString(CultureInfo.InvariantCulture),
        NumberLiteral n => n.Value.ToString("0.0###############", CultureInfo.InvariantCulture),
        BooleanLiteral b => b.Value ? "true" : "false",
        DurationLiteral d => d.Text,
        BoundParameter p => "$" + p.Name,
        Call c => c.Name + "(" + string.Join(", ", c.Arguments.Select(Of)) + ")",
        Binary b => Of(b.Left) + " " + b.Operator + " " + Of(b.Right),
        Paren p => "(" + Of(p.Inner) + ")",
        _ => expression.ToString()!,
    };

    public static string Identifier(string name) =>
        PlainIdentifier().IsMatch(name) && !Lexer.Keywords.Contains(name) ? name : "\"" + name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}

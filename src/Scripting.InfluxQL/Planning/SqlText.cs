using System.Globalization;
using Scripting.Core.Time;

namespace Scripting.InfluxQL.Planning;

/// <summary>Pieces of the SQL the InfluxQL statements are planned into.</summary>
internal static class SqlText
{
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.') || text.Contains('E') || text.Contains('N') || text.Contains('I')) ? text : text + ".0";

    /// <summary>A nanosecond instant as the timestamp literal the SQL layer compares with <c>time</c>.</summary>
    public static string Instant(long nanoseconds) => "'" + UnixNanoseconds.ToRfc3339(nanoseconds) + "'";
}

using System.Globalization;

namespace Scripting.InfluxQL.Planning;

/// <summary>Pieces of the SQL the InfluxQL statements are planned into.</summary>
internal static class SqlText
{
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.') || text.Contains('E') || text.Contains('N') || text.Contains('I')) ? text : text + ".0";

    /// <summary>A nanosecond instant as the timestamp literal the SQL layer compares with <c>time</c>.</summary>
    public static string Instant(long nanoseconds)
    {
        var (seconds, fraction) = Math.DivRem(nanoseconds, 1_000_000_000L);
        if (fraction < 0)
        {
            (seconds, fraction) = (seconds - 1, fraction + 1_000_000_000L);
        }

        return "'" + DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + fraction.ToString("D9", CultureInfo.InvariantCulture) + "Z'";
    }
}

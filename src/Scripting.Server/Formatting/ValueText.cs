using System.Globalization;
using Scripting.Core.Queries;
using Scripting.Core.Time;
using Scripting.Query.Results;

namespace Scripting.Server.Formatting;

/// <summary>How single values print in query results, as InfluxDB 3 (Arrow) prints them.</summary>
public static class ValueText
{
    /// <summary>ISO 8601 without zone; fractional seconds only when non-zero, in 3, 6 or 9 digits.</summary>
    public static string Timestamp(long nanoseconds) => NestedText.TimestampText(nanoseconds);

    /// <summary>
    /// A zoned timestamp as Arrow prints it: the wall clock in <paramref name="zone"/> and its offset at that
    /// instant, <c>Z</c> for UTC (<c>2023-12-31T20:00:00-05:00</c>).
    /// </summary>
    public static string Timestamp(long nanoseconds, string? zone)
    {
        if (zone is null)
        {
            return Timestamp(nanoseconds);
        }

        var offset = TimeZones.Offset(zone, nanoseconds);
        var local = Timestamp(nanoseconds + (offset.Ticks * 100));
        return zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) || zone == "Z"
            ? local + "Z"
            : local + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>Shortest round-trip form; integral values keep a ".0" so they read as floats.</summary>
    public static string Float(double value) => NestedText.FloatText(value);

    /// <summary>A 32-bit float in its own shortest form (3.1415927, not the double it widens to).</summary>
    public static string Float(float value) =>
        float.IsFinite(value) && value.ToString("R", CultureInfo.InvariantCulture) is var text
            ? text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0"
            : Float((double)value);

    /// <summary>A duration as chrono (and so InfluxDB 3) prints it: ISO 8601 seconds, <c>PT3600S</c>, <c>PT0.5S</c>, <c>P0D</c>.</summary>
    public static string Duration(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "P0D";
        }

        var sign = nanoseconds < 0 ? "-" : string.Empty;
        var magnitude = (ulong)Math.Abs((decimal)nanoseconds);
        var (seconds, fraction) = (magnitude / 1_000_000_000UL, magnitude % 1_000_000_000UL);
        var digits = fraction == 0 ? string.Empty : "." + fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return $"{sign}PT{seconds.ToString(CultureInfo.InvariantCulture)}{digits}S";
    }

    public static string Format(object? value, QueryColumn column) => value switch
    {
        long ns when column.Type == QueryColumnType.Timestamp => Timestamp(ns, column.TimeZone),
        long ns when column.Type == QueryColumnType.Duration => Duration(ns),
        _ => Format(value, column.Type),
    };

    public static string Format(object? value, QueryColumnType type) => value switch
    {
        null => string.Empty,
        long ns when type == QueryColumnType.Timestamp => Timestamp(ns),
        double d => Float(d),
        float f => Float(f),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

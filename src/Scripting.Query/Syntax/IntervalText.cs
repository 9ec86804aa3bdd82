using System.Globalization;

namespace Scripting.Query.Syntax;

/// <summary>An interval as InfluxDB 3's SQL holds it: months, days and nanoseconds, kept apart.</summary>
internal readonly record struct Interval(long Months, long Days, long Nanoseconds)
{
    public const long NanosecondsPerDay = 86_400_000_000_000;

    /// <summary>True when the interval is a fixed length (no months or days, whose length depends on the calendar).</summary>
    public bool IsFixed => Months == 0 && Days == 0;

    public Interval Negate() => new(-Months, -Days, -Nanoseconds);
}

/// <summary>
/// Reads interval text as InfluxDB 3's SQL does (<c>'1 hour'</c>, <c>'1 day 30 minutes'</c>, <c>'1.5 hours'</c>,
/// <c>'100 nanoseconds'</c>): number and unit pairs; a fraction spills into the smaller units (1.5 months is
/// 1 month 15 days); a number without a unit is seconds.
/// </summary>
internal static class IntervalText
{
    private static readonly Dictionary<string, (long Months, long Days, long Nanoseconds)> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["century"] = (1200, 0, 0), ["centuries"] = (1200, 0, 0),
        ["decade"] = (120, 0, 0), ["decades"] = (120, 0, 0),
        ["year"] = (12, 0, 0), ["years"] = (12, 0, 0), ["y"] = (12, 0, 0),
        ["month"] = (1, 0, 0), ["months"] = (1, 0, 0), ["mon"] = (1, 0, 0), ["mons"] = (1, 0, 0),
        ["week"] = (0, 7, 0), ["weeks"] = (0, 7, 0), ["w"] = (0, 7, 0),
        ["day"] = (0, 1, 0), ["days"] = (0, 1, 0), ["d"] = (0, 1, 0),
        ["hour"] = (0, 0, 3_600_000_000_000), ["hours"] = (0, 0, 3_600_000_000_000), ["h"] = (0, 0, 3_600_000_000_000), ["hr"] = (0, 0, 3_600_000_000_000), ["hrs"] = (0, 0, 3_600_000_000_000),
        ["minute"] = (0, 0, 60_000_000_000), ["minutes"] = (0, 0, 60_000_000_000), ["m"] = (0, 0, 60_000_000_000), ["min"] = (0, 0, 60_000_000_000), ["mins"] = (0, 0, 60_000_000_000),
        ["second"] = (0, 0, 1_000_000_000), ["seconds"] = (0, 0, 1_000_000_000), ["s"] = (0, 0, 1_000_000_000), ["sec"] = (0, 0, 1_000_000_000), ["secs"] = (0, 0, 1_000_000_000),
        ["millisecond"] = (0, 0, 1_000_000), ["milliseconds"] = (0, 0, 1_000_000), ["ms"] = (0, 0, 1_000_000),
        ["microsecond"] = (0, 0, 1_000), ["microseconds"] = (0, 0, 1_000), ["us"] = (0, 0, 1_000), ["µs"] = (0, 0, 1_000),
        ["nanosecond"] = (0, 0, 1), ["nanoseconds"] = (0, 0, 1), ["ns"] = (0, 0, 1),
    };

    public static bool TryParse(string text, out Interval interval)
    {
        interval = default;
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return false;
        }

        decimal months = 0, days = 0, nanoseconds = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var (number, unit) = Split(parts[i]);
            if (unit.Length == 0 && i + 1 < parts.Length && char.IsLetter(parts[i + 1][0]))
            {
                unit = parts[++i];
            }

            if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var (m, d, n) = unit.Length == 0 ? (0L, 0L, 1_000_000_000L) : Units.TryGetValue(unit, out var known) ? known : (-1, -1, -1);
            if (m < 0)
            {
                return false;
            }

            months += amount * m;
            days += amount * d;
            nanoseconds += amount * n;
        }

        // Fractions spill down: a month is 30 days, a day 24 hours.
        var wholeMonths = decimal.Truncate(months);
        days += (months - wholeMonths) * 30;
        var wholeDays = decimal.Truncate(days);
        nanoseconds += (days - wholeDays) * Interval.NanosecondsPerDay;
        try
        {
            interval = new Interval((long)wholeMonths, (long)wholeDays, (long)decimal.Truncate(nanoseconds));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static (string Number, string Unit) Split(string part)
    {
        var end = 0;
        while (end < part.Length && (char.IsAsciiDigit(part[end]) || part[end] is '.' or '-' or '+'))
        {
            end++;
        }

        return (part[..end], part[end..]);
    }
}

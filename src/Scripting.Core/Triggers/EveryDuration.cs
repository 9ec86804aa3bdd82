using System.Globalization;

namespace Scripting.Core.Triggers;

/// <summary>
/// The duration of an <c>every:</c> trigger, in humantime's grammar: one or more number-unit groups
/// (<c>10s</c>, <c>1h30m</c>, <c>1.5h</c>, <c>1h 30m</c>). <c>m</c> is minutes, <c>M</c> months (30.44 days),
/// <c>y</c> years (365.25 days). Between one second and one year.
/// </summary>
public static class EveryDuration
{
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(31_557_600);

    private static readonly (string[] Names, double Seconds)[] Units =
    [
        (["nsec", "ns", "nanos"], 1e-9),
        (["usec", "us", "µs", "micros"], 1e-6),
        (["msec", "ms", "millis"], 1e-3),
        (["seconds", "second", "secs", "sec", "s"], 1),
        (["minutes", "minute", "mins", "min", "m"], 60),
        (["hours", "hour", "hrs", "hr", "h"], 3600),
        (["days", "day", "d"], 86_400),
        (["weeks", "week", "wks", "wk", "w"], 604_800),
        (["months", "month", "M"], 2_630_016),
        (["years", "year", "yrs", "yr", "y"], 31_557_600),
    ];

    /// <summary>Parses <paramref name="text"/>; returns null and the reason when it is not a valid interval.</summary>
    public static TimeSpan? Parse(string text, out string? error)
    {
        error = null;
        var seconds = 0.0;
        var i = 0;
        var groups = 0;
        text = text.Trim();
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"couldn't parse to duration: expected a number at '{text[start..]}'";
                return null;
            }

            var unitStart = i;
            while (i < text.Length && (char.IsLetter(text[i]) || text[i] == 'µ'))
            {
                i++;
            }

            var unit = text[unitStart..i];
            var match = Units.FirstOrDefault(u => u.Names.Contains(unit, unit is "M" or "m" ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase));
            if (match.Names is null)
            {
                error = $"couldn't parse to duration: unknown unit '{unit}' (use s, m, h, d, w, M or y)";
                return null;
            }

            seconds += number * match.Seconds;
            groups++;
        }

        if (groups == 0)
        {
            error = "couldn't parse to duration: the duration is empty";
            return null;
        }

        var duration = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        if (duration < Minimum)
        {
            error = "every schedules must be at least 1 second";
            return null;
        }

        if (duration > Maximum)
        {
            error = "don't support every schedules of over 1 year";
            return null;
        }

        return duration;
    }
}

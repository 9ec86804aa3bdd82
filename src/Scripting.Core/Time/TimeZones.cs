using System.Collections.Concurrent;
using System.Globalization;

namespace Scripting.Core.Time;

/// <summary>IANA time zones (<c>Europe/Paris</c>) and fixed offsets (<c>+05:30</c>), as InfluxDB 3's SQL names them.</summary>
public static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Known = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="zone"/> names a time zone or a fixed offset.</summary>
    public static bool IsKnown(string zone) => Find(zone) is not null;

    /// <summary>The offset from UTC of <paramref name="zone"/> at the instant <paramref name="nanoseconds"/> after the epoch.</summary>
    public static TimeSpan Offset(string zone, long nanoseconds)
    {
        var info = Find(zone) ?? throw new ArgumentException($"unknown time zone '{zone}'", nameof(zone));
        var instant = DateTime.UnixEpoch.AddTicks(Math.Clamp(nanoseconds / 100, -DateTime.UnixEpoch.Ticks, DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks));
        return info.GetUtcOffset(instant);
    }

    private static TimeZoneInfo? Find(string zone) => Known.GetOrAdd(zone, static name =>
    {
        if (name is "UTC" or "Z" or "utc")
        {
            return TimeZoneInfo.Utc;
        }

        if (name.Length == 6 && name[0] is '+' or '-' && TimeSpan.TryParseExact(name[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var fixedOffset))
        {
            var offset = name[0] == '-' ? -fixedOffset : fixedOffset;
            return TimeZoneInfo.CreateCustomTimeZone(name, offset, name, name);
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out var info) ? info : null;
    });
}

namespace Scripting.Core.Time;

/// <summary>Instants as nanoseconds since the Unix epoch, the unit of every stored timestamp.</summary>
public static class UnixNanoseconds
{
    public static long From(DateTimeOffset instant) => (instant.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>A <see cref="DateTime"/> taken as UTC whatever its kind, as plugins' naive datetimes are.</summary>
    public static long From(DateTime instant) => (instant.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static long Now(TimeProvider time) => From(time.GetUtcNow());

    /// <summary>RFC 3339 in UTC with <c>Z</c>, the fraction to the nanosecond without trailing zeros (<c>2022-01-01T08:00:00.5Z</c>).</summary>
    public static string ToRfc3339(long nanoseconds)
    {
        var (seconds, fraction) = Math.DivRem(nanoseconds, 1_000_000_000L);
        if (fraction < 0)
        {
            (seconds, fraction) = (seconds - 1, fraction + 1_000_000_000L);
        }

        var text = DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        return fraction == 0 ? text + "Z" : text + "." + fraction.ToString("D9", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }
}

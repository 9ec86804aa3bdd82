namespace Scripting.Core.LineProtocol;

/// <summary>Unit of the timestamps in a line protocol body.</summary>
public enum Precision
{
    /// <summary>Chosen per timestamp from its magnitude (InfluxDB 3's rule).</summary>
    Auto,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

public static class PrecisionNames
{
    /// <summary>Reads the v3 names (auto, s, ms, us, ns and their long forms) and the v1/v2 short names (n, u).</summary>
    public static bool TryParse(string? text, bool allowAuto, out Precision precision)
    {
        precision = allowAuto ? Precision.Auto : Precision.Nanosecond;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        switch (text.ToLowerInvariant())
        {
            case "auto" when allowAuto: precision = Precision.Auto; return true;
            case "s" or "second": precision = Precision.Second; return true;
            case "ms" or "millisecond": precision = Precision.Millisecond; return true;
            case "us" or "u" or "microsecond": precision = Precision.Microsecond; return true;
            case "ns" or "n" or "nanosecond": precision = Precision.Nanosecond; return true;
            default: return false;
        }
    }

    public static string Describe(bool allowAuto) =>
        allowAuto ? "auto, s, ms, us, ns (or second, millisecond, microsecond, nanosecond)" : "s, ms, us (or u), ns (or n)";

    /// <summary>Nanoseconds in one unit of <paramref name="precision"/>; Auto resolves per value.</summary>
    public static long Multiplier(Precision precision) => precision switch
    {
        Precision.Second => 1_000_000_000L,
        Precision.Millisecond => 1_000_000L,
        Precision.Microsecond => 1_000L,
        _ => 1L,
    };

    /// <summary>
    /// InfluxDB 3's auto rule: |ts| / 1e9 below 5 means seconds, below 5,000 milliseconds,
    /// below 5,000,000 microseconds, otherwise nanoseconds.
    /// </summary>
    public static Precision Resolve(long timestamp)
    {
        var magnitude = timestamp == long.MinValue ? long.MaxValue : Math.Abs(timestamp);
        var scaled = magnitude / 1_000_000_000L;
        return scaled switch
        {
            < 5 => Precision.Second,
            < 5_000 => Precision.Millisecond,
            < 5_000_000 => Precision.Microsecond,
            _ => Precision.Nanosecond,
        };
    }

    /// <summary>Converts a timestamp to nanoseconds; false when the result does not fit in 64 bits.</summary>
    public static bool TryToNanoseconds(long timestamp, Precision precision, out long nanoseconds)
    {
        var effective = precision == Precision.Auto ? Resolve(timestamp) : precision;
        var multiplier = Multiplier(effective);
        try
        {
            nanoseconds = checked(timestamp * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            nanoseconds = 0;
            return false;
        }
    }

    public static string WireName(Precision precision) => precision switch
    {
        Precision.Auto => "auto",
        Precision.Second => "s",
        Precision.Millisecond => "ms",
        Precision.Microsecond => "us",
        _ => "ns",
    };
}

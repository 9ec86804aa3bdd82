namespace Scripting.Core.Time;

/// <summary>Instants as nanoseconds since the Unix epoch, the unit of every stored timestamp.</summary>
public static class UnixNanoseconds
{
    public static long From(DateTimeOffset instant) => (instant.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>A <see cref="DateTime"/> taken as UTC whatever its kind, as plugins' naive datetimes are.</summary>
    public static long From(DateTime instant) => (instant.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static long Now(TimeProvider time) => From(time.GetUtcNow());
}

using Scripting.Core.Triggers;

namespace Scripting.Engine.Scheduling;

/// <summary>When schedule triggers fire: <c>every:</c> at multiples of the interval since the epoch, <c>cron:</c> by Cronos.</summary>
internal static class FireTimes
{
    /// <summary>The first fire time strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset? Next(TriggerSpecification specification, DateTimeOffset after)
    {
        if (specification.Interval is { } interval)
        {
            var sinceEpoch = after.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            var periods = (sinceEpoch / interval.Ticks) + 1;
            return DateTimeOffset.UnixEpoch.AddTicks(periods * interval.Ticks);
        }

        return specification.Cron?.Next(after);
    }

    /// <summary>
    /// The fire time to run after a run scheduled for <paramref name="scheduled"/> ended at
    /// <paramref name="now"/>: the next one if it is still ahead, else the latest one already missed,
    /// so missed fire times are coalesced into one run instead of replayed.
    /// </summary>
    public static DateTimeOffset? AfterRun(TriggerSpecification specification, DateTimeOffset scheduled, DateTimeOffset now)
    {
        var next = Next(specification, scheduled);
        if (next is null || next > now)
        {
            return next;
        }

        var latest = next.Value;
        while (Next(specification, latest) is { } later && later <= now)
        {
            latest = later;
        }

        return latest;
    }
}

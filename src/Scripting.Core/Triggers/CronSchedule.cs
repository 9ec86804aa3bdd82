using Cronos;

namespace Scripting.Core.Triggers;

/// <summary>
/// A cron schedule, parsed by Cronos: 5 fields are standard Unix cron (minute first),
/// 6 fields put seconds first; day-of-week 0-7 with Sunday as 0 or 7; macros such as <c>@hourly</c>.
/// UTC unless the expression starts with <c>CRON_TZ=&lt;zone&gt;</c> (for example
/// <c>CRON_TZ=Europe/Paris 0 9 * * 1-5</c>), which also handles daylight-saving days correctly.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    public static CronSchedule? Parse(string text, out string? error)
    {
        error = null;
        text = text.Trim();
        var zone = TimeZoneInfo.Utc;
        if (text.StartsWith("CRON_TZ=", StringComparison.Ordinal) || text.StartsWith("TZ=", StringComparison.Ordinal))
        {
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? text[(text.IndexOf('=', StringComparison.Ordinal) + 1)..] : text[(text.IndexOf('=', StringComparison.Ordinal) + 1)..space];
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found))
            {
                error = $"unknown time zone '{name}'";
                return null;
            }

            zone = found;
            text = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (text.Length == 0)
        {
            error = "the cron expression is empty";
            return null;
        }

        var format = text.StartsWith('@') || fields == 5 ? CronFormat.Standard : CronFormat.IncludeSeconds;
        if (!text.StartsWith('@') && fields is not (5 or 6))
        {
            error = $"a cron expression has 5 fields (minute hour day month weekday) or 6 (second first); '{text}' has {fields}";
            return null;
        }

        try
        {
            return new CronSchedule(CronExpression.Parse(text, format), zone);
        }
        catch (CronFormatException exception)
        {
            error = exception.Message;
            return null;
        }
    }

    /// <summary>The first fire time strictly after <paramref name="after"/>, or null if there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, Zone, inclusive: false);
}

using Scripting.Core.Plugins;

namespace Scripting.Core.Triggers;

public enum TriggerKind
{
    /// <summary><c>table:NAME</c>: the writes to one table.</summary>
    Table,

    /// <summary><c>all_tables</c>: the writes to every table of the database.</summary>
    AllTables,

    /// <summary><c>every:DURATION</c>, aligned to the Unix epoch.</summary>
    Every,

    /// <summary><c>cron:EXPRESSION</c>.</summary>
    Cron,

    /// <summary><c>request:PATH</c>, served at <c>/api/v3/engine/PATH</c>.</summary>
    Request,
}

/// <summary>
/// A parsed trigger specification; <see cref="ToString"/> gives the canonical string form. Its JSON forms
/// (read from requests, shown in the system table) are in TriggerSpecification.Json.cs.
/// </summary>
public sealed partial record TriggerSpecification(TriggerKind Kind, string Value)
{
    public const string ExpectedForms =
        "expect one of the following forms: 'table:<TABLE_NAME>', 'all_tables', 'cron:<CRON_EXPRESSION>', 'every:<DURATION>', or 'request:<PATH>'";

    public TimeSpan? Interval { get; private init; }

    public CronSchedule? Cron { get; private init; }

    public bool IsSchedule => Kind is TriggerKind.Every or TriggerKind.Cron;

    public bool IsWrites => Kind is TriggerKind.Table or TriggerKind.AllTables;

    /// <summary>The entry point a plugin needs to serve a trigger of this kind.</summary>
    public EntryPoints EntryPoint => IsWrites ? EntryPoints.ProcessWrites : IsSchedule ? EntryPoints.ProcessScheduledCall : EntryPoints.ProcessRequest;

    public override string ToString() => Kind switch
    {
        TriggerKind.Table => "table:" + Value,
        TriggerKind.AllTables => "all_tables",
        TriggerKind.Every => "every:" + Value,
        TriggerKind.Cron => "cron:" + Value,
        _ => "request:" + Value,
    };

    /// <summary>Parses the string grammar; null and the reason when it is not valid.</summary>
    public static TriggerSpecification? Parse(string? text, out string? error)
    {
        error = null;
        var spec = (text ?? string.Empty).Trim();
        string Fail(string? context) => context is null ? $"failed to parse trigger from {spec}" : $"failed to parse trigger from {spec}: {context}";

        if (spec == "all_tables")
        {
            return new TriggerSpecification(TriggerKind.AllTables, string.Empty);
        }

        if (spec.StartsWith("table:", StringComparison.Ordinal))
        {
            var table = spec[6..].Trim();
            if (table.Length == 0)
            {
                error = Fail("table name is empty");
                return null;
            }

            return new TriggerSpecification(TriggerKind.Table, table);
        }

        if (spec.StartsWith("every:", StringComparison.Ordinal))
        {
            var duration = spec[6..].Trim();
            var interval = EveryDuration.Parse(duration, out var reason);
            if (interval is null)
            {
                error = Fail(reason);
                return null;
            }

            return new TriggerSpecification(TriggerKind.Every, duration) { Interval = interval };
        }

        if (spec.StartsWith("cron:", StringComparison.Ordinal))
        {
            var expression = spec[5..].Trim();
            var cron = CronSchedule.Parse(expression, out var reason);
            if (cron is null)
            {
                error = Fail(reason);
                return null;
            }

            return new TriggerSpecification(TriggerKind.Cron, expression) { Cron = cron };
        }

        if (spec.StartsWith("request:", StringComparison.Ordinal))
        {
            var path = spec[8..].Trim().Trim('/');
            if (path.Length == 0)
            {
                error = Fail("the request path is empty");
                return null;
            }

            if (path.Any(c => char.IsControl(c) || c is ' ' or '?' or '#' or '\\') || path.Split('/').Any(s => s is "" or "." or ".."))
            {
                error = Fail("a request path may hold letters, digits and '-', '_', '.', '/' separated segments, without spaces, '?', '#' or empty, '.' or '..' segments");
                return null;
            }

            return new TriggerSpecification(TriggerKind.Request, path);
        }

        error = Fail(ExpectedForms);
        return null;
    }
}

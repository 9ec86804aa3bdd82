using System.Text.Json;

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

/// <summary>A parsed trigger specification; <see cref="ToString"/> gives the canonical string form.</summary>
public sealed record TriggerSpecification(TriggerKind Kind, string Value)
{
    public const string ExpectedForms =
        "expect one of the following forms: 'table:<TABLE_NAME>', 'all_tables', 'cron:<CRON_EXPRESSION>', 'every:<DURATION>', or 'request:<PATH>'";

    public TimeSpan? Interval { get; private init; }

    public CronSchedule? Cron { get; private init; }

    public bool IsSchedule => Kind is TriggerKind.Every or TriggerKind.Cron;

    public bool IsWrites => Kind is TriggerKind.Table or TriggerKind.AllTables;

    public override string ToString() => Kind switch
    {
        TriggerKind.Table => "table:" + Value,
        TriggerKind.AllTables => "all_tables",
        TriggerKind.Every => "every:" + Value,
        TriggerKind.Cron => "cron:" + Value,
        _ => "request:" + Value,
    };

    /// <summary>The JSON text InfluxDB shows in <c>system.processing_engine_triggers</c>.</summary>
    public string ToStoredJson() => Kind switch
    {
        TriggerKind.Table => JsonSerializer.Serialize(new { single_table_wal_write = new { table_name = Value } }),
        TriggerKind.AllTables => "\"all_tables_wal_write\"",
        TriggerKind.Every => JsonSerializer.Serialize(new { every = new { duration = new { secs = (long)Interval!.Value.TotalSeconds, nanos = (Interval.Value.Ticks % TimeSpan.TicksPerSecond) * 100 } } }),
        TriggerKind.Cron => JsonSerializer.Serialize(new { schedule = new { schedule = Value } }),
        _ => JsonSerializer.Serialize(new { request_path = new { path = Value } }),
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

    /// <summary>
    /// Reads the string grammar and, as the seed documents use them, the stored JSON forms:
    /// <c>{"every":{"duration":{"secs":10,"nanos":0}}}</c>, <c>{"schedule":["0 0 * * *"]}</c>,
    /// <c>{"schedule":"cron:0 0 * * *"}</c>, <c>{"schedule":{"schedule":"E"}}</c>,
    /// <c>{"single_table_wal_write":{"table_name":"T"}}</c>, <c>"all_tables_wal_write"</c> and
    /// <c>{"request_path":{"path":"P"}}</c>.
    /// </summary>
    public static TriggerSpecification? FromJson(JsonElement json, out string? error)
    {
        error = null;
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                var text = json.GetString()!;
                return Parse(text == "all_tables_wal_write" ? "all_tables" : text, out error);
            case JsonValueKind.Object:
                var spec = FromObject(json);
                if (spec is not null)
                {
                    return Parse(spec, out error);
                }

                break;
        }

        error = $"failed to parse trigger from {json.GetRawText()}: {ExpectedForms}, or the JSON forms {{\"every\":{{\"duration\":{{\"secs\":10,\"nanos\":0}}}}}} and {{\"schedule\":\"0 0 * * *\"}}";
        return null;
    }

    private static string? FromObject(JsonElement json)
    {
        if (json.TryGetProperty("every", out var every) && every.ValueKind == JsonValueKind.Object
            && every.TryGetProperty("duration", out var duration) && duration.ValueKind == JsonValueKind.Object
            && duration.TryGetProperty("secs", out var secs) && secs.TryGetInt64(out var seconds))
        {
            var nanos = duration.TryGetProperty("nanos", out var n) && n.TryGetInt64(out var value) ? value : 0;
            return nanos == 0 ? $"every:{seconds}s" : $"every:{seconds}s {nanos}ns";
        }

        if (json.TryGetProperty("schedule", out var schedule))
        {
            var expression = Inner(schedule, "schedule");
            return expression is null ? null : expression.StartsWith("cron:", StringComparison.Ordinal) ? expression : "cron:" + expression;
        }

        if (json.TryGetProperty("single_table_wal_write", out var table))
        {
            return Inner(table, "table_name") is { } name ? "table:" + name : null;
        }

        if (json.TryGetProperty("request_path", out var request))
        {
            return Inner(request, "path") is { } path ? "request:" + path : null;
        }

        if (json.TryGetProperty("all_tables_wal_write", out _))
        {
            return "all_tables";
        }

        return null;
    }

    /// <summary>The value of a serde struct spelled as a string, a one-element sequence, or an object.</summary>
    private static string? Inner(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Array when value.GetArrayLength() == 1 && value[0].ValueKind == JsonValueKind.String => value[0].GetString(),
        JsonValueKind.Object when value.TryGetProperty(field, out var inner) && inner.ValueKind == JsonValueKind.String => inner.GetString(),
        _ => null,
    };
}

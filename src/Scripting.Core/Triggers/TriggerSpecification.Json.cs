using System.Text.Json;

namespace Scripting.Core.Triggers;

/// <summary>The JSON forms of a trigger specification, as InfluxDB 3 reads and shows them.</summary>
public sealed partial record TriggerSpecification
{
    /// <summary>The JSON text InfluxDB shows in <c>system.processing_engine_triggers</c>.</summary>
    public string ToStoredJson() => Kind switch
    {
        TriggerKind.Table => JsonSerializer.Serialize(new { single_table_wal_write = new { table_name = Value } }),
        TriggerKind.AllTables => "\"all_tables_wal_write\"",
        TriggerKind.Every => JsonSerializer.Serialize(new { every = new { duration = new { secs = (long)Interval!.Value.TotalSeconds, nanos = (Interval.Value.Ticks % TimeSpan.TicksPerSecond) * 100 } } }),
        TriggerKind.Cron => JsonSerializer.Serialize(new { schedule = new { schedule = Value } }),
        _ => JsonSerializer.Serialize(new { request_path = new { path = Value } }),
    };

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

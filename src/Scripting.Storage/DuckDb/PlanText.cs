using System.Text;
using System.Text.Json.Nodes;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// EXPLAIN as InfluxDB 3 answers it: rows of <c>plan_type</c> (<c>logical_plan</c>, <c>physical_plan</c>, or
/// <c>Plan with Metrics</c> for EXPLAIN ANALYZE) and <c>plan</c>, an indented tree of operators, one per line.
/// The store's plan (its JSON form) is rendered in InfluxDB's operator vocabulary; the store's internal
/// steps (compression projections, its schema names) are left out.
/// </summary>
internal static class PlanText
{
    private static readonly Dictionary<string, (string Logical, string Physical)> Operators = new(StringComparer.Ordinal)
    {
        ["SEQ_SCAN"] = ("TableScan", "DataSourceExec"),
        ["TABLE_SCAN"] = ("TableScan", "DataSourceExec"),
        ["COLUMN_DATA_SCAN"] = ("Values", "DataSourceExec"),
        ["DUMMY_SCAN"] = ("EmptyRelation", "PlaceholderRowExec"),
        ["EMPTY_RESULT"] = ("EmptyRelation", "EmptyExec"),
        ["FILTER"] = ("Filter", "FilterExec"),
        ["PROJECTION"] = ("Projection", "ProjectionExec"),
        ["AGGREGATE"] = ("Aggregate", "AggregateExec"),
        ["HASH_GROUP_BY"] = ("Aggregate", "AggregateExec"),
        ["PERFECT_HASH_GROUP_BY"] = ("Aggregate", "AggregateExec"),
        ["UNGROUPED_AGGREGATE"] = ("Aggregate", "AggregateExec"),
        ["ORDER_BY"] = ("Sort", "SortExec"),
        ["TOP_N"] = ("Sort", "SortExec"),
        ["LIMIT"] = ("Limit", "GlobalLimitExec"),
        ["STREAMING_LIMIT"] = ("Limit", "GlobalLimitExec"),
        ["HASH_JOIN"] = ("Join", "HashJoinExec"),
        ["COMPARISON_JOIN"] = ("Join", "HashJoinExec"),
        ["NESTED_LOOP_JOIN"] = ("Join", "NestedLoopJoinExec"),
        ["CROSS_PRODUCT"] = ("CrossJoin", "CrossJoinExec"),
        ["WINDOW"] = ("WindowAggr", "WindowAggExec"),
        ["STREAMING_WINDOW"] = ("WindowAggr", "WindowAggExec"),
        ["UNION"] = ("Union", "UnionExec"),
        ["DISTINCT"] = ("Distinct", "AggregateExec"),
        ["CTE"] = ("SubqueryAlias", "ProjectionExec"),
        ["CTE_SCAN"] = ("SubqueryAlias", "ProjectionExec"),
        ["UNNEST"] = ("Unnest", "UnnestExec"),
    };

    private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal) { "Estimated Cardinality", "Type", "Function" };

    /// <summary>InfluxDB's plan type for the store's explain key; null for a plan InfluxDB does not show.</summary>
    public static string? PlanType(string key) => key switch
    {
        "logical_opt" => "logical_plan",
        "physical_plan" => "physical_plan",
        "analyzed_plan" => "Plan with Metrics",
        _ => null,
    };

    public static string Render(string key, string json)
    {
        var physical = key != "logical_opt";
        var text = new StringBuilder();
        var root = JsonNode.Parse(json);
        var nodes = root is JsonObject profile ? profile["children"]?.AsArray() ?? [] : root?.AsArray() ?? [];
        foreach (var node in nodes)
        {
            // EXPLAIN ANALYZE's own step is not part of the query.
            var shown = node?["operator_type"]?.GetValue<string>() == "EXPLAIN_ANALYZE" ? node["children"]?.AsArray().FirstOrDefault() : node;
            Append(text, shown as JsonObject, 0, physical);
        }

        return text.ToString().TrimEnd('\n');
    }

    private static void Append(StringBuilder text, JsonObject? node, int depth, bool physical)
    {
        if (node is null)
        {
            return;
        }

        var name = node["name"]?.GetValue<string>() ?? node["operator_type"]?.GetValue<string>() ?? "UNKNOWN";
        var children = node["children"]?.AsArray() ?? [];
        var details = Details(node["extra_info"] as JsonObject);
        if (name.Trim() == "PROJECTION" && (details.Contains("__internal", StringComparison.Ordinal) || details.Length == 0) && children.Count == 1)
        {
            // The store's own compression steps are not part of the query.
            Append(text, children[0] as JsonObject, depth, physical);
            return;
        }

        var known = Operators.TryGetValue(name.Trim(), out var names);
        var shown = known ? (physical ? names.Physical : names.Logical) : Pascal(name.Trim()) + (physical ? "Exec" : string.Empty);
        text.Append(' ', depth * 2).Append(shown);
        if (details.Length > 0)
        {
            text.Append(": ").Append(details);
        }

        if (node["operator_timing"] is JsonValue timing && timing.TryGetValue<double>(out var seconds))
        {
            text.Append(details.Length > 0 ? ", " : ": ").Append("metrics=[elapsed_compute=").Append(Math.Round(seconds * 1000, 3).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("ms");
            if (node["operator_cardinality"] is JsonValue rows)
            {
                text.Append(", output_rows=").Append(rows.ToJsonString());
            }

            text.Append(']');
        }

        text.Append('\n');
        foreach (var child in children)
        {
            Append(text, child as JsonObject, depth + 1, physical);
        }
    }

    private static string Details(JsonObject? info)
    {
        if (info is null)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        foreach (var (key, value) in info)
        {
            if (Hidden.Contains(key) || value is null)
            {
                continue;
            }

            var shown = value is JsonArray items ? string.Join(", ", items.Select(i => i?.ToString())) : value.ToString();
            shown = Clean(shown);
            if (shown.Length > 0)
            {
                parts.Add($"{key.ToLowerInvariant().Replace(' ', '_')}=[{shown}]");
            }
        }

        return string.Join(", ", parts);
    }

    /// <summary>Table names as the query wrote them, not the store's schema path; type names as Arrow's.</summary>
    private static string Clean(string text) =>
        DataFusionErrors.ArrowTypes(text).Replace("\n", ", ", StringComparison.Ordinal)
            .Replace("db.store.", string.Empty, StringComparison.Ordinal)
            .Replace("db.iox.", string.Empty, StringComparison.Ordinal)
            .Replace("memory.main.", string.Empty, StringComparison.Ordinal)
            .Replace("count_star()", "count(*)", StringComparison.Ordinal)
            .Trim();

    private static string Pascal(string name) =>
        string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => p[..1] + p[1..].ToLowerInvariant()));
}

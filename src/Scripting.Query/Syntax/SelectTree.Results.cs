using System.Text.Json.Nodes;
using Scripting.Core.Catalog;

namespace Scripting.Query.Syntax;

/// <summary>What the result's columns are, beyond their values: durations, time zones, and which are a table's columns as they are.</summary>
internal sealed partial class SelectTree
{
    /// <summary>
    /// A SELECT item that subtracts two timestamps is a duration: computed in nanoseconds, shown as one
    /// (<c>PT3600S</c>). Elsewhere (compared with an interval) the difference stays an interval.
    /// </summary>
    private static HashSet<string> DurationsOf(JsonObject statement, ColumnNames names, ExpressionTypes types)
    {
        var durations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in statement["node"]?["select_list"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (Text(item, "class") == "FUNCTION" && Text(item, "function_name") == "-" && item["children"] is JsonArray { Count: 2 } operands
                && types.Infer(operands[0]) == ValueType.Timestamp && types.Infer(operands[1]) == ValueType.Timestamp)
            {
                var name = Text(item, "alias") is { Length: > 0 } alias ? alias : names.Of(item);
                item["alias"] = name;
                item["children"] = new JsonArray(
                    Nodes.Function("epoch_ns", item["query_location"], operands[0]!.DeepClone().AsObject()),
                    Nodes.Function("epoch_ns", item["query_location"], operands[1]!.DeepClone().AsObject()));
                durations.Add(name);
            }
            else if (types.Infer(item) == ValueType.Interval)
            {
                throw Refuse("an interval cannot be a column of the result yet: compare it, add it to a timestamp, or return the difference of two timestamps (a duration)");
            }
        }

        return durations;
    }

    /// <summary>
    /// The result's computed columns that InfluxDB 3 types as 64-bit (<c>select 1</c>, <c>sum(x)</c>,
    /// <c>length(s)</c>), by name, with that Arrow type: where the store gives a narrower integer or float
    /// (INTEGER, FLOAT) or a 128-bit integer (HUGEINT), the result widens or narrows it to that type.
    /// </summary>
    private static Dictionary<string, string> WidthsOf(JsonObject statement, ColumnNames names, ExpressionTypes types)
    {
        var widths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in statement["node"]?["select_list"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (Text(item, "class") is not ("COLUMN_REF" or "STAR") && types.ArrowName(item) is { } arrow && arrow is "Int64" or "UInt64" or "Float64")
            {
                widths[Text(item, "alias") is { Length: > 0 } alias ? alias : names.Of(item)] = arrow;
            }
        }

        return widths;
    }

    private static HashSet<string> SourcesOf(JsonObject statement, DatabaseDefinition database)
    {
        var sources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in statement["node"]?["select_list"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            switch (Text(item, "class"))
            {
                case "STAR":
                    sources.UnionWith(database.Tables.Values.SelectMany(t => t.Columns.Select(c => c.Name)).Append("time"));
                    break;
                case "COLUMN_REF" when Text(item, "alias").Length == 0 || Text(item, "alias") == item["column_names"]!.AsArray()[^1]!.GetValue<string>():
                    sources.Add(item["column_names"]!.AsArray()[^1]!.GetValue<string>());
                    break;
            }
        }

        return sources;
    }

    private static Dictionary<string, string> ZonesOf(JsonObject statement, ColumnNames names, ExpressionTypes types)
    {
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in statement["node"]?["select_list"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (types.Zone(item) is { } zone)
            {
                zones[Text(item, "alias") is { Length: > 0 } alias ? alias : names.Of(item)] = zone;
            }
        }

        return zones;
    }
}

using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>Expressions the translator puts into the tree, in the parser's serialization.</summary>
internal static class Nodes
{
    public static JsonObject Cast(JsonObject child, string type) => new()
    {
        ["class"] = "CAST",
        ["type"] = "OPERATOR_CAST",
        ["alias"] = string.Empty,
        ["query_location"] = child["query_location"]?.DeepClone(),
        ["child"] = child,
        ["cast_type"] = new JsonObject { ["id"] = type, ["type_info"] = null },
        ["try_cast"] = false,
    };

    /// <summary><c>make_timestamp_ns(N)</c>: a nanosecond timestamp the planner folds into a constant.</summary>
    public static JsonObject Timestamp(long nanoseconds, JsonNode? location) => new()
    {
        ["class"] = "FUNCTION",
        ["type"] = "FUNCTION",
        ["alias"] = string.Empty,
        ["query_location"] = location,
        ["function_name"] = "make_timestamp_ns",
        ["schema"] = string.Empty,
        ["children"] = new JsonArray(new JsonObject
        {
            ["class"] = "CONSTANT",
            ["type"] = "VALUE_CONSTANT",
            ["alias"] = string.Empty,
            ["query_location"] = location?.DeepClone(),
            ["value"] = new JsonObject
            {
                ["type"] = new JsonObject { ["id"] = "BIGINT", ["type_info"] = null },
                ["is_null"] = false,
                ["value"] = nanoseconds,
            },
        }),
        ["filter"] = null,
        ["order_bys"] = new JsonObject { ["type"] = "ORDER_MODIFIER", ["orders"] = new JsonArray() },
        ["distinct"] = false,
        ["is_operator"] = false,
        ["export_state"] = false,
        ["catalog"] = string.Empty,
    };

    /// <summary>A text constant.</summary>
    public static JsonObject Text(string value, JsonNode? location) => new()
    {
        ["class"] = "CONSTANT",
        ["type"] = "VALUE_CONSTANT",
        ["alias"] = string.Empty,
        ["query_location"] = location,
        ["value"] = new JsonObject
        {
            ["type"] = new JsonObject { ["id"] = "VARCHAR", ["type_info"] = null },
            ["is_null"] = false,
            ["value"] = value,
        },
    };

    /// <summary><c>NOT child</c>.</summary>
    public static JsonObject Not(JsonObject child) => new()
    {
        ["class"] = "OPERATOR",
        ["type"] = "OPERATOR_NOT",
        ["alias"] = string.Empty,
        ["query_location"] = child["query_location"]?.DeepClone(),
        ["children"] = new JsonArray(child),
    };
}

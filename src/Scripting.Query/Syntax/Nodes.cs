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
    public static JsonObject Timestamp(long nanoseconds, JsonNode? location) => Function("make_timestamp_ns", location, Integer(nanoseconds, location));

    /// <summary>A call of <paramref name="name"/> with <paramref name="children"/>, at the place of <paramref name="location"/>.</summary>
    public static JsonObject Function(string name, JsonNode? location, params JsonObject[] children) => new()
    {
        ["class"] = "FUNCTION",
        ["type"] = "FUNCTION",
        ["alias"] = string.Empty,
        ["query_location"] = location?.DeepClone(),
        ["function_name"] = name,
        ["schema"] = string.Empty,
        ["children"] = new JsonArray([.. children]),
        ["filter"] = null,
        ["order_bys"] = new JsonObject { ["type"] = "ORDER_MODIFIER", ["orders"] = new JsonArray() },
        ["distinct"] = false,
        ["is_operator"] = false,
        ["export_state"] = false,
        ["catalog"] = string.Empty,
    };

    /// <summary>An operator such as <c>+</c> between <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static JsonObject Operator(string name, JsonObject left, JsonObject right)
    {
        var call = Function(name, left["query_location"], left, right);
        call["is_operator"] = true;
        return call;
    }

    /// <summary>A 64-bit integer constant.</summary>
    public static JsonObject Integer(long value, JsonNode? location) => Constant("BIGINT", JsonValue.Create(value), location);

    /// <summary>A double constant.</summary>
    public static JsonObject Double(double value, JsonNode? location)
    {
        // The parser's reader takes a number without a decimal point for an integer.
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return Constant("DOUBLE", JsonNode.Parse(text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0")!, location);
    }

    private static JsonObject Constant(string type, JsonNode value, JsonNode? location) => new()
    {
        ["class"] = "CONSTANT",
        ["type"] = "VALUE_CONSTANT",
        ["alias"] = string.Empty,
        ["query_location"] = location?.DeepClone(),
        ["value"] = new JsonObject
        {
            ["type"] = new JsonObject { ["id"] = type, ["type_info"] = null },
            ["is_null"] = false,
            ["value"] = value,
        },
    };

    /// <summary><c>coalesce(children...)</c>, an operator in the parser's tree.</summary>
    public static JsonObject Coalesce(JsonNode? location, params JsonObject[] children) => new()
    {
        ["class"] = "OPERATOR",
        ["type"] = "OPERATOR_COALESCE",
        ["alias"] = string.Empty,
        ["query_location"] = location?.DeepClone(),
        ["children"] = new JsonArray([.. children]),
    };

    /// <summary>A text constant.</summary>
    public static JsonObject Text(string value, JsonNode? location) => Constant("VARCHAR", JsonValue.Create(value), location);

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

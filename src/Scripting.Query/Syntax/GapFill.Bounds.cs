using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>The time range of a gap-filling query, read from its WHERE clause as InfluxDB 3 reads it.</summary>
internal sealed partial class GapFill
{
    /// <summary>The time range from the WHERE clause's top-level conditions on the time column: the last of each side counts.</summary>
    private (JsonObject Lower, bool LowerIncluded, JsonObject Upper, bool UpperIncluded) Bounds()
    {
        JsonObject? lower = null, upper = null;
        bool lowerIncluded = true, upperIncluded = true;
        foreach (var condition in Conjuncts(_node["where_clause"] as JsonObject))
        {
            var type = SelectTree.Text(condition, "type");
            if (SelectTree.Text(condition, "class") == "BETWEEN" && IsTime(condition["input"]) && Scalar(condition["lower"]) && Scalar(condition["upper"]))
            {
                (lower, lowerIncluded, upper, upperIncluded) = ((JsonObject)condition["lower"]!, true, (JsonObject)condition["upper"]!, true);
                continue;
            }

            if (SelectTree.Text(condition, "class") != "COMPARISON")
            {
                continue;
            }

            var (left, right) = (condition["left"] as JsonObject, condition["right"] as JsonObject);
            var (bound, flipped) = IsTime(left) && Scalar(right) ? (right, false) : IsTime(right) && Scalar(left) ? (left, true) : (null, false);
            if (bound is null)
            {
                continue;
            }

            switch ((type, flipped))
            {
                case ("COMPARE_GREATERTHANOREQUALTO", false) or ("COMPARE_LESSTHANOREQUALTO", true):
                    (lower, lowerIncluded) = (bound, true);
                    break;
                case ("COMPARE_GREATERTHAN", false) or ("COMPARE_LESSTHAN", true):
                    (lower, lowerIncluded) = (bound, false);
                    break;
                case ("COMPARE_LESSTHAN", false) or ("COMPARE_GREATERTHAN", true):
                    (upper, upperIncluded) = (bound, false);
                    break;
                case ("COMPARE_LESSTHANOREQUALTO", false) or ("COMPARE_GREATERTHANOREQUALTO", true):
                    (upper, upperIncluded) = (bound, true);
                    break;
            }
        }

        return (lower, upper) switch
        {
            (null, null) => throw SelectTree.Refuse("Error during planning: gap-filling query is missing both upper and lower time bounds"),
            (null, _) => throw SelectTree.Refuse("Error during planning: gap-filling query is missing lower time bound"),
            (_, null) => throw SelectTree.Refuse("Error during planning: gap-filling query is missing upper time bound"),
            _ => (lower, lowerIncluded, upper, upperIncluded),
        };
    }

    private static IEnumerable<JsonObject> Conjuncts(JsonObject? condition)
    {
        if (condition is null)
        {
            yield break;
        }

        if (SelectTree.Text(condition, "type") == "CONJUNCTION_AND")
        {
            foreach (var child in condition["children"]!.AsArray().OfType<JsonObject>())
            {
                foreach (var conjunct in Conjuncts(child))
                {
                    yield return conjunct;
                }
            }
        }
        else
        {
            yield return condition;
        }
    }

    private bool IsTime(JsonNode? node) =>
        node is JsonObject column && SelectTree.Text(column, "class") == "COLUMN_REF"
        && column["column_names"]!.AsArray()[^1]!.GetValue<string>().Equals(_timeColumn, StringComparison.OrdinalIgnoreCase);

    private static bool Scalar(JsonNode? node) => node is JsonObject o && !Tree.Contains(o, n => SelectTree.Text(n, "class") is "COLUMN_REF" or "SUBQUERY");
}

using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>Searches and edits of the parser's syntax tree that the translation needs in more than one place.</summary>
internal static class Tree
{
    public static bool Contains(JsonObject node, Func<JsonObject, bool> test) => Find(node, test) is not null;

    public static JsonObject? Find(JsonNode? node, Func<JsonObject, bool> test)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["class"] is JsonValue && test(obj))
                {
                    return obj;
                }

                foreach (var (_, child) in obj)
                {
                    if (Find(child, test) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (Find(item, test) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    public static void Rename(JsonNode? node, string from, string to)
    {
        switch (node)
        {
            case JsonObject obj:
                if (SelectTree.Text(obj, "class") == "FUNCTION" && SelectTree.Text(obj, "function_name").Equals(from, StringComparison.OrdinalIgnoreCase))
                {
                    obj["function_name"] = to;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Rename(child, from, to);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Rename(item, from, to);
                }

                break;
        }
    }

    public static void Substitute(JsonNode? node, string placeholder, JsonObject replacement)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonObject column && SelectTree.Text(column, "class") == "COLUMN_REF"
                        && column["column_names"]!.AsArray() is { Count: 1 } names && names[0]!.GetValue<string>() == placeholder)
                    {
                        obj[key] = replacement.DeepClone();
                    }
                    else
                    {
                        Substitute(child, placeholder, replacement);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject column && SelectTree.Text(column, "class") == "COLUMN_REF"
                        && column["column_names"]!.AsArray() is { Count: 1 } names && names[0]!.GetValue<string>() == placeholder)
                    {
                        array[i] = replacement.DeepClone();
                    }
                    else
                    {
                        Substitute(array[i], placeholder, replacement);
                    }
                }

                break;
        }
    }

    /// <summary>Two expressions are the same when they differ only in alias and position.</summary>
    public static bool Same(JsonObject a, JsonObject b) => Normalized(a) == Normalized(b);

    private static string Normalized(JsonObject node)
    {
        var copy = node.DeepClone().AsObject();
        Strip(copy);
        return copy.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("alias");
                obj.Remove("query_location");
                foreach (var (_, child) in obj)
                {
                    Strip(child);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item);
                }

                break;
        }
    }
}

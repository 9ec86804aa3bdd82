using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>InfluxDB 3's functions that the store has under another name, with the same meaning for their arguments.</summary>
internal static class FunctionNames
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.OrdinalIgnoreCase)
    {
        // The bytes of a string's UTF-8 (the store's octet_length takes only blobs).
        ["octet_length"] = "strlen",
    };

    /// <summary>Renames <paramref name="function"/> in place when the store calls it otherwise.</summary>
    public static void Translate(JsonObject function)
    {
        if (Renamed.TryGetValue(SelectTree.Text(function, "function_name"), out var name))
        {
            function["function_name"] = name;
        }
    }
}

using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>InfluxDB 3's functions that the store has under another name, with the same meaning for their arguments.</summary>
internal static class FunctionNames
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.OrdinalIgnoreCase)
    {
        // The bytes of a string's UTF-8 (the store's octet_length takes only blobs).
        ["octet_length"] = "strlen",

        // Hexadecimal digits in lower case.
        ["to_hex"] = "df_to_hex",

        // InfluxDB's to_timestamp: an integer is nanoseconds since the epoch, text is RFC 3339.
        ["to_timestamp"] = "to_timestamp_nanos",

        // Called as aggregates (the window functions of these names are left as they are).
        ["first_value"] = "first",
        ["last_value"] = "last",

        ["regexp_like"] = "regexp_matches",
        ["make_array"] = "list_value",
        ["make_list"] = "list_value",
        ["array_element"] = "list_extract",
        ["array_join"] = "array_to_string",
        ["array_max"] = "list_max",
        ["array_min"] = "list_min",
        ["arrays_overlap"] = "list_has_any",
        ["get_field"] = "struct_extract",
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

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


        // Called as aggregates (the window functions of these names are left as they are).
        ["first_value"] = "first",
        ["last_value"] = "last",

        ["make_array"] = "list_value",
        ["make_list"] = "list_value",
        ["array_element"] = "list_extract",
        ["array_join"] = "array_to_string",
        ["array_max"] = "list_max",
        ["array_min"] = "list_min",
        ["arrays_overlap"] = "list_has_any",
        ["get_field"] = "array_extract",
        ["var_sample"] = "var_samp",
        ["regr_r2"] = "df_regr_r2",
        ["array_distance"] = "df_array_distance",
        ["var_population"] = "var_pop",
        ["array_empty"] = "df_empty",
        ["empty"] = "df_empty",
        ["current_time"] = "df_current_time",
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

using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>
/// The regular-expression operators of InfluxDB 3's SQL: <c>~</c> and <c>!~</c> match anywhere in the text
/// (DuckDB's <c>~</c> must match all of it), <c>~*</c> and <c>!~*</c> ignore case (DuckDB has neither).
/// </summary>
internal static class RegexOperators
{
    /// <summary>The <c>regexp_matches</c> call that answers as InfluxDB would; null for any other function.</summary>
    public static JsonObject? Translate(JsonObject function)
    {
        var name = SelectTree.Text(function, "function_name");
        var (caseless, negated) = name switch
        {
            "regexp_full_match" => (false, false),
            "~*" => (true, false),
            "!~*" => (true, true),
            _ => ((bool?)null, false),
        };
        if (caseless is null || function["children"] is not JsonArray { Count: 2 })
        {
            return null;
        }

        var match = function.DeepClone().AsObject();
        match["function_name"] = "regexp_matches";
        match["alias"] = string.Empty;
        if (caseless.Value)
        {
            match["children"]!.AsArray().Add(Nodes.Text("i", function["query_location"]?.DeepClone()));
        }

        return negated ? Nodes.Not(match) : match;
    }
}

using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>InfluxDB's selector functions and <c>regexp_match</c>, which the store has no single function for.</summary>
internal sealed partial class Semantics
{
    /// <summary>
    /// InfluxDB's selectors: a struct of the selected <c>value</c> and its <c>time</c>, over the rows whose value
    /// is not NULL; <c>selector_first</c>/<c>selector_last</c> select by time, <c>selector_min</c>/<c>selector_max</c>
    /// by value and, among equal values, the earliest time.
    /// </summary>
    private JsonObject Selector(JsonObject function, string name, JsonArray? children)
    {
        if (children is not { Count: >= 2 } || children[0] is not JsonObject value || children[1] is not JsonObject time)
        {
            throw SelectTree.Refuse($"Error during planning: {name} requires at least 2 arguments, got {children?.Count ?? 0}");
        }

        if (types.Infer(time) is not (ValueType.Timestamp or ValueType.Unknown))
        {
            throw SelectTree.Refuse($"Error during planning: {name} second argument must be a timestamp, got {types.ArrowName(time) ?? "another type"}");
        }

        var location = function["query_location"];
        JsonObject Aggregate(string aggregate, params JsonObject[] arguments)
        {
            var call = Nodes.Function(aggregate, location, arguments);
            call["filter"] = new JsonObject
            {
                ["class"] = "OPERATOR",
                ["type"] = "OPERATOR_IS_NOT_NULL",
                ["alias"] = string.Empty,
                ["query_location"] = location?.DeepClone(),
                ["children"] = new JsonArray(Detach(value)),
            };
            return call;
        }

        var (selected, at) = name switch
        {
            "selector_first" => (Aggregate("arg_min", Detach(value), Detach(time)), Aggregate("min", Detach(time))),
            "selector_last" => (Aggregate("arg_max", Detach(value), Detach(time)), Aggregate("max", Detach(time))),
            "selector_min" => (Aggregate("min", Detach(value)), Aggregate("arg_min", Detach(time), Nodes.Function("row", location, Detach(value), Detach(time)))),
            _ => (Aggregate("max", Detach(value)), Aggregate("arg_max", Detach(time), Nodes.Function("row", location, Detach(value), Nodes.Function("-", location, Nodes.Function("epoch_ns", location, Detach(time)))))),
        };
        selected["alias"] = "value";
        at["alias"] = "time";
        return Nodes.Function("struct_pack", location, selected, at);
    }

    /// <summary><c>regexp_match(text, pattern[, flags])</c>: the capture groups of the first match as a list (the whole match when the pattern has none), NULL without a match.</summary>
    private static JsonObject RegexpMatch(JsonObject function, JsonArray? children)
    {
        if (children is not { Count: 2 or 3 } || children[0] is not JsonObject text || children[1] is not JsonObject pattern)
        {
            throw SelectTree.Refuse("regexp_match needs 2 or 3 arguments: the text, the pattern and optional flags");
        }

        if (Text(pattern) is not { } regex)
        {
            throw SelectTree.Refuse("regexp_match: the pattern must be a string literal");
        }

        var flags = children.Count == 3 && children[2] is JsonObject f ? Text(f) ?? throw SelectTree.Refuse("regexp_match: the flags must be a string literal") : null;
        if (flags is not null && flags.Contains('g', StringComparison.Ordinal))
        {
            throw SelectTree.Refuse("regexp_match() does not support the \"global\" option");
        }

        var location = function["query_location"];
        JsonObject[] Options() => flags is null ? [] : [Nodes.Text(flags, location?.DeepClone())];
        var groups = Math.Max(CaptureGroups(regex), 0);
        var items = Enumerable.Range(groups == 0 ? 0 : 1, groups == 0 ? 1 : groups)
            .Select(g => Nodes.Function("regexp_extract", location, [Detach(text), Detach(pattern), Nodes.Integer(g, location), .. Options()]))
            .ToArray();
        return new JsonObject
        {
            ["class"] = "CASE",
            ["type"] = "CASE_EXPR",
            ["alias"] = string.Empty,
            ["query_location"] = location?.DeepClone(),
            ["case_checks"] = new JsonArray(new JsonObject
            {
                ["when_expr"] = Nodes.Function("regexp_matches", location, [Detach(text), Detach(pattern), .. Options()]),
                ["then_expr"] = Nodes.Function("list_value", location, items),
            }),
            ["else_expr"] = new JsonObject
            {
                ["class"] = "CONSTANT",
                ["type"] = "VALUE_CONSTANT",
                ["alias"] = string.Empty,
                ["query_location"] = location?.DeepClone(),
                ["value"] = new JsonObject { ["type"] = new JsonObject { ["id"] = "NULL", ["type_info"] = null }, ["is_null"] = true },
            },
        };
    }

    /// <summary>The capture groups of a pattern: opening parentheses not escaped, not in a class and not <c>(?</c> groups (named ones count).</summary>
    private static int CaptureGroups(string pattern)
    {
        var count = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    inClass = true;
                    break;
                case ']':
                    inClass = false;
                    break;
                case '(' when !inClass:
                    var named = i + 2 < pattern.Length && pattern[i + 1] == '?' && pattern[i + 2] is 'P' or '<' && (i + 3 >= pattern.Length || pattern[i + 3] is not ('=' or '!'));
                    if (i + 1 >= pattern.Length || pattern[i + 1] != '?' || named)
                    {
                        count++;
                    }

                    break;
            }
        }

        return count;
    }
}

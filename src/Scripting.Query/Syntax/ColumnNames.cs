using System.Globalization;
using System.Text.Json.Nodes;
using Scripting.Core.Catalog;

namespace Scripting.Query.Syntax;

/// <summary>
/// The names InfluxDB 3 (DataFusion) gives result columns that have no alias, set as aliases before the
/// translation changes the expressions: <c>count(*)</c>, <c>avg(home.temp)</c> (columns inside an
/// expression are qualified by their table), <c>Int64(1)</c>, <c>Utf8("a")</c>, <c>home.a + home.b</c>,
/// scalar functions with their arguments separated by a comma alone. A bare column keeps its name.
/// </summary>
internal sealed class ColumnNames(JsonObject statement, DatabaseDefinition database)
{
    private static readonly Dictionary<string, string> ComparisonSymbols = new()
    {
        ["COMPARE_EQUAL"] = "=", ["COMPARE_NOTEQUAL"] = "!=", ["COMPARE_LESSTHAN"] = "<", ["COMPARE_GREATERTHAN"] = ">",
        ["COMPARE_LESSTHANOREQUALTO"] = "<=", ["COMPARE_GREATERTHANOREQUALTO"] = ">=", ["COMPARE_DISTINCT_FROM"] = "IS DISTINCT FROM",
        ["COMPARE_NOT_DISTINCT_FROM"] = "IS NOT DISTINCT FROM",
    };

    private static readonly HashSet<string> Aggregates = new(StringComparer.OrdinalIgnoreCase)
    {
        "avg", "mean", "count", "sum", "min", "max", "median", "stddev", "stddev_pop", "stddev_samp", "var", "var_pop", "var_samp", "variance",
        "variance_pop", "variance_samp", "first_value", "last_value", "array_agg", "string_agg", "bit_and", "bit_or", "bit_xor", "bool_and",
        "bool_or", "corr", "covar", "covar_pop", "covar_samp", "approx_distinct", "approx_median", "approx_percentile_cont",
        "approx_percentile_cont_with_weight", "regr_slope", "regr_intercept", "regr_count", "regr_r2", "regr_avgx", "regr_avgy",
        "regr_sxx", "regr_syy", "regr_sxy", "selector_first", "selector_last", "selector_min", "selector_max", "nth_value",
    };

    private static readonly Dictionary<string, string> Operators = new()
    {
        ["~~"] = "LIKE", ["!~~"] = "NOT LIKE", ["~~*"] = "ILIKE", ["!~~*"] = "NOT ILIKE", ["regexp_full_match"] = "~", ["//"] = "/",
    };

    private string _relation = string.Empty;

    /// <summary>Names every unnamed item of every SELECT list of <paramref name="root"/>.</summary>
    public void Apply(JsonNode? root)
    {
        switch (root)
        {
            case JsonObject obj:
                if (SelectTree.Text(obj, "type") == "SELECT_NODE" && obj["select_list"] is JsonArray list)
                {
                    var previous = _relation;
                    _relation = Relation(obj["from_table"] as JsonObject);
                    var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is not JsonObject item || SelectTree.Text(item, "class") == "STAR")
                        {
                            continue;
                        }

                        if (SelectTree.Text(item, "alias").Length == 0 && SelectTree.Text(item, "class") != "COLUMN_REF")
                        {
                            item["alias"] = Name(item);
                        }

                        var key = SelectTree.Text(item, "alias") is { Length: > 0 } named ? named : Column(item, qualified: true);
                        if (!seen.TryAdd(key, i))
                        {
                            throw SelectTree.Refuse($"Error during planning: Projections require unique expression names but the expression \"{key}\" at position {seen[key]} and \"{key}\" at position {i} have the same name. Consider aliasing (\"AS\") one of them.");
                        }
                    }

                    foreach (var (key, child) in obj.ToList())
                    {
                        if (key != "select_list")
                        {
                            Apply(child);
                        }
                    }

                    foreach (var item in list)
                    {
                        Apply(item);
                    }

                    _relation = previous;
                    return;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Apply(child);
                }

                break;
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    Apply(item);
                }

                break;
        }
    }

    /// <summary>The name of a SELECT item of the statement's outermost query.</summary>
    public string Of(JsonObject item)
    {
        _relation = Relation(statement["node"]?["from_table"] as JsonObject);
        return SelectTree.Text(item, "class") == "COLUMN_REF" ? Column(item, qualified: false) : Name(item);
    }

    private string Relation(JsonObject? from) => from is null ? string.Empty : SelectTree.Text(from, "type") switch
    {
        "BASE_TABLE" => SelectTree.Text(from, "alias") is { Length: > 0 } alias ? alias
            : string.Join('.', new[] { SelectTree.Text(from, "catalog_name"), SelectTree.Text(from, "schema_name"), TableName(SelectTree.Text(from, "table_name")) }.Where(p => p.Length > 0)),
        "SUBQUERY" => SelectTree.Text(from, "alias"),
        _ => string.Empty,
    };

    private string TableName(string name) =>
        database.Tables.ContainsKey(name) ? name : database.Tables.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private string Name(JsonObject expression)
    {
        switch (SelectTree.Text(expression, "class"))
        {
            case "COLUMN_REF":
                return Column(expression, qualified: true);
            case "CONSTANT":
                return Constant(expression["value"] as JsonObject);
            case "CAST":
                // INTERVAL '1 hour' is an interval literal in InfluxDB's SQL, named by its value; any other cast does not show.
                if (expression["cast_type"]?["id"]?.GetValue<string>() == "INTERVAL" && Semantics.IntervalConstant(expression) is { } interval)
                {
                    return $"IntervalMonthDayNano(\"IntervalMonthDayNano {{ months: {interval.Months}, days: {interval.Days}, nanoseconds: {interval.Nanoseconds} }}\")";
                }

                // TRUE and FALSE reach the tree as text cast to a boolean.
                if (expression["cast_type"]?["id"]?.GetValue<string>() == "BOOLEAN" && expression["child"] is JsonObject literal
                    && SelectTree.Text(literal, "class") == "CONSTANT" && literal["value"]?["value"] is JsonValue flag && flag.TryGetValue<string>(out var word)
                    && word is "t" or "f")
                {
                    return word == "t" ? "Boolean(true)" : "Boolean(false)";
                }

                return Name((JsonObject)expression["child"]!);
            case "STAR":
                return "*";
            case "PARAMETER":
                return "$" + SelectTree.Text(expression, "identifier");
            case "COMPARISON":
                return $"{Name((JsonObject)expression["left"]!)} {ComparisonSymbols.GetValueOrDefault(SelectTree.Text(expression, "type"), "=")} {Name((JsonObject)expression["right"]!)}";
            case "CONJUNCTION":
                return string.Join(SelectTree.Text(expression, "type") == "CONJUNCTION_AND" ? " AND " : " OR ", Children(expression).Select(Name));
            case "BETWEEN":
                return $"{Name((JsonObject)expression["input"]!)} BETWEEN {Name((JsonObject)expression["lower"]!)} AND {Name((JsonObject)expression["upper"]!)}";
            case "OPERATOR":
                return Operator(expression);
            case "SUBQUERY":
                return "(<subquery>)";
            case "CASE":
                var checks = expression["case_checks"]!.AsArray().OfType<JsonObject>()
                    .Select(c => $"WHEN {Name((JsonObject)c["when_expr"]!)} THEN {Name((JsonObject)c["then_expr"]!)}");
                var otherwise = expression["else_expr"] is JsonObject e && !IsNull(e) ? $" ELSE {Name(e)}" : string.Empty;
                return $"CASE {string.Join(' ', checks)}{otherwise} END";
            case "FUNCTION":
                return Function(expression);
            case "WINDOW":
                return $"{SelectTree.Text(expression, "function_name").ToLowerInvariant()}({string.Join(", ", Children(expression).Select(Name))}) {Window(expression)}";
            default:
                return SelectTree.Text(expression, "class").ToLowerInvariant();
        }
    }

    private string Window(JsonObject window)
    {
        var partitions = window["partitions"]?.AsArray().OfType<JsonObject>().Select(Name).ToList() ?? [];
        var orders = window["orders"]?.AsArray().OfType<JsonObject>().Select(o => Order(o)).ToList() ?? [];
        var parts = new List<string>();
        if (partitions.Count > 0)
        {
            parts.Add("PARTITION BY [" + string.Join(", ", partitions) + "]");
        }

        if (orders.Count > 0)
        {
            parts.Add("ORDER BY [" + string.Join(", ", orders) + "]");
        }

        parts.Add(orders.Count > 0 ? "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW" : "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING");
        return string.Join(' ', parts);
    }

    private string Order(JsonObject order)
    {
        var descending = SelectTree.Text(order, "type") == "ORDER_DESCENDING";
        var nulls = SelectTree.Text(order, "null_order") switch
        {
            "ORDER_NULLS_FIRST" => true,
            "ORDER_NULLS_LAST" => false,
            _ => descending,
        };
        return $"{Name((JsonObject)order["expression"]!)} {(descending ? "DESC" : "ASC")} NULLS {(nulls ? "FIRST" : "LAST")}";
    }

    private string Function(JsonObject function)
    {
        var name = SelectTree.Text(function, "function_name");
        var children = Children(function).ToList();
        if (function["is_operator"]?.GetValue<bool>() == true || Operators.ContainsKey(name))
        {
            var symbol = Operators.GetValueOrDefault(name, name);
            return children.Count == 1 ? $"({symbol} {Name(children[0])})" : $"{Name(children[0])} {symbol} {Name(children[1])}";
        }

        if (name == "count_star")
        {
            return "count(*)";
        }

        var lower = name.ToLowerInvariant();
        if (Aggregates.Contains(lower))
        {
            var distinct = function["distinct"]?.GetValue<bool>() == true ? "DISTINCT " : string.Empty;
            var text = $"{Canonical(lower)}({distinct}{string.Join(',', children.Select(Name))})";
            if (function["order_bys"]?["orders"] is JsonArray { Count: > 0 } orders)
            {
                text += " ORDER BY [" + string.Join(", ", orders.OfType<JsonObject>().Select(Order)) + "]";
            }

            if (function["filter"] is JsonObject filter)
            {
                text += $" FILTER (WHERE {Name(filter)})";
            }

            return text;
        }

        if (lower is "array_extract" or "struct_extract" && children.Count == 2)
        {
            return $"{Name(children[0])}[{Display(children[1])}]";
        }

        return $"{Canonical(lower)}({string.Join(',', children.Select(Name))})";
    }

    private static string Canonical(string name) => name switch
    {
        "mean" => "avg",
        "datetrunc" => "date_trunc",
        "datepart" => "date_part",
        "count_star" => "count",
        _ => name,
    };

    /// <summary>A field name inside brackets prints as its value, without quotes.</summary>
    private string Display(JsonObject expression) =>
        SelectTree.Text(expression, "class") == "CONSTANT" && expression["value"]?["value"] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : Name(expression);

    private string Operator(JsonObject expression)
    {
        var children = Children(expression).ToList();
        return SelectTree.Text(expression, "type") switch
        {
            "OPERATOR_NOT" => $"NOT {Name(children[0])}",
            "OPERATOR_IS_NULL" => $"{Name(children[0])} IS NULL",
            "OPERATOR_IS_NOT_NULL" => $"{Name(children[0])} IS NOT NULL",
            "COMPARE_IN" => $"{Name(children[0])} IN {string.Join(", ", children.Skip(1).Select(Name))}",
            "COMPARE_NOT_IN" => $"{Name(children[0])} NOT IN {string.Join(", ", children.Skip(1).Select(Name))}",
            "OPERATOR_COALESCE" => $"coalesce({string.Join(',', children.Select(Name))})",
            _ => SelectTree.Text(expression, "type").ToLowerInvariant(),
        };
    }

    private string Column(JsonObject column, bool qualified)
    {
        var names = column["column_names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        if (!qualified)
        {
            return names[^1];
        }

        return names.Count > 1 ? string.Join('.', names.TakeLast(2)) : _relation.Length > 0 ? $"{_relation}.{names[0]}" : names[0];
    }

    private static string Constant(JsonObject? value)
    {
        if (value is null || value["is_null"]?.GetValue<bool>() == true)
        {
            return "NULL";
        }

        var type = value["type"]?["id"]?.GetValue<string>() ?? string.Empty;
        var raw = value["value"]!;
        return type switch
        {
            "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" => $"Int64({raw.ToJsonString()})",
            "HUGEINT" or "UBIGINT" => $"UInt64({raw.ToJsonString()})",
            "DOUBLE" or "FLOAT" => $"Float64({Float(raw.GetValue<double>())})",
            "DECIMAL" => $"Float64({Float(double.Parse(raw.ToJsonString().Trim('"'), CultureInfo.InvariantCulture) / Math.Pow(10, value["type"]!["type_info"]?["scale"]?.GetValue<int>() ?? 0))})",
            "BOOLEAN" => $"Boolean({(raw.GetValue<bool>() ? "true" : "false")})",
            "VARCHAR" or "STRING_LITERAL" => $"Utf8(\"{raw.GetValue<string>()}\")",
            _ => raw.ToJsonString().Trim('"'),
        };
    }

    /// <summary>A float as Rust prints it: no decimal point for whole numbers.</summary>
    private static string Float(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static bool IsNull(JsonObject constant) =>
        SelectTree.Text(constant, "class") == "CONSTANT" && constant["value"]?["is_null"]?.GetValue<bool>() == true;

    private static IEnumerable<JsonObject> Children(JsonObject node) => node["children"]?.AsArray().OfType<JsonObject>() ?? [];
}

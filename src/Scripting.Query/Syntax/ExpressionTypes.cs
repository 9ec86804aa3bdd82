using System.Text.Json.Nodes;
using Scripting.Core.Catalog;

namespace Scripting.Query.Syntax;

/// <summary>The kinds of value the translator tells apart where DataFusion's rules depend on the type.</summary>
internal enum ValueType
{
    Unknown,
    Null,
    Integer,
    UInteger,
    Float,
    Text,
    Boolean,
    Timestamp,
    Interval,
    Date,
}

/// <summary>
/// What an expression of the syntax tree yields, as far as the tree and the catalog tell: columns by the
/// tables the query reads, constants by their literal, casts by their target, operators and the common
/// functions by their operands. Unknown where the tree does not say (a subquery's column, an uncommon
/// function): callers then choose the translation that refuses rather than one that could answer wrongly.
/// </summary>
internal sealed partial class ExpressionTypes
{
    private static readonly HashSet<string> FloatFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "avg", "mean", "stddev", "stddev_samp", "stddev_pop", "var", "var_samp", "var_pop", "variance", "corr", "covar", "covar_samp",
        "covar_pop", "sqrt", "cbrt", "exp", "ln", "log", "log2", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh",
        "cosh", "tanh", "asinh", "acosh", "atanh", "cot", "pi", "random", "degrees", "radians", "regr_slope", "regr_intercept", "regr_r2",
        "regr_avgx", "regr_avgy", "regr_sxx", "regr_syy", "regr_sxy", "fdiv", "round", "floor", "ceil", "trunc", "signum", "nanvl",
    };

    private static readonly HashSet<string> IntegerFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "count_star", "length", "char_length", "character_length", "octet_length", "strlen", "bit_length", "strpos", "instr",
        "ascii", "levenshtein", "array_length", "cardinality", "regexp_count", "approx_distinct", "approx_count_distinct", "row_number",
        "rank", "dense_rank", "ntile", "epoch_ns", "factorial", "gcd", "lcm", "find_in_set", "regr_count",
    };

    private static readonly HashSet<string> TextFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "lower", "upper", "concat", "concat_ws", "substr", "substring", "replace", "trim", "ltrim", "rtrim", "btrim", "lpad", "rpad",
        "left", "right", "repeat", "reverse", "split_part", "initcap", "to_hex", "md5", "sha224", "sha256", "sha384", "sha512", "chr",
        "translate", "overlay", "regexp_replace", "string_agg", "to_char", "date_format", "encode", "arrow_typeof", "uuid", "version",
        "strftime", "substr_index", "substring_index", "||",
    };

    private static readonly HashSet<string> TimestampFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "now", "current_timestamp", "date_bin", "date_trunc", "datetrunc", "to_timestamp", "to_timestamp_seconds", "to_timestamp_millis",
        "to_timestamp_micros", "to_timestamp_nanos", "make_timestamp_ns", "from_unixtime", "date_bin_gapfill", "date_bin_wallclock",
        "to_local_time", "time_bucket", "tz", "timezone", "date_bin_wallclock", "date_bin_wallclock_gapfill", "df_to_wall", "df_from_wall",
    };

    private static readonly HashSet<string> BooleanFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "starts_with", "ends_with", "isnan", "iszero", "regexp_like", "regexp_matches", "array_has", "bool_and", "bool_or", "~~", "!~~",
        "~~*", "!~~*", "regexp_full_match", "~*", "!~*",
    };

    private static readonly HashSet<string> FirstArgumentFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "abs", "min", "max", "sum", "first_value", "last_value", "first", "last", "median", "approx_median", "coalesce", "nullif",
        "greatest", "least", "ifnull", "nvl", "any_value", "lag", "lead", "nth_value", "mode", "approx_percentile_cont", "quantile_cont",
        "locf", "interpolate", "bit_and", "bit_or", "bit_xor",
    };

    private readonly Dictionary<string, ValueType> _columns;
    private readonly Dictionary<string, ColumnType> _catalogColumns;

    private ExpressionTypes(Dictionary<string, ValueType> columns, Dictionary<string, ColumnType> catalogColumns)
    {
        _columns = columns;
        _catalogColumns = catalogColumns;
    }

    /// <summary>The types of the columns of every table the query names (a name two tables type differently is unknown).</summary>
    public static ExpressionTypes For(JsonNode tree, DatabaseDefinition database)
    {
        var columns = new Dictionary<string, ValueType>(StringComparer.OrdinalIgnoreCase) { ["time"] = ValueType.Timestamp };
        var catalogColumns = new Dictionary<string, ColumnType>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in TableNames(tree).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var table = database.Tables.GetValueOrDefault(name)
                        ?? database.Tables.Values.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            foreach (var column in table?.Columns ?? [])
            {
                var type = Of(column.Type);
                columns[column.Name] = columns.TryGetValue(column.Name, out var known) && known != type ? ValueType.Unknown : type;
                catalogColumns.TryAdd(column.Name, column.Type);
            }
        }

        return new ExpressionTypes(columns, catalogColumns);
    }

    private static IEnumerable<string> TableNames(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "BASE_TABLE"
                    && SelectTree.Text(obj, "schema_name") is "" or "iox" && SelectTree.Text(obj, "table_name") is { Length: > 0 } name)
                {
                    yield return name;
                }

                foreach (var (_, child) in obj)
                {
                    foreach (var found in TableNames(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var found in TableNames(item))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    private static ValueType Of(ColumnType type) => type switch
    {
        ColumnType.Float => ValueType.Float,
        ColumnType.Integer => ValueType.Integer,
        ColumnType.UInteger => ValueType.UInteger,
        ColumnType.Boolean => ValueType.Boolean,
        ColumnType.Time => ValueType.Timestamp,
        _ => ValueType.Text,
    };

    /// <summary>The type a store type name stands for (a cast's target, a constant's type).</summary>
    public static ValueType OfStoreType(string id) => id switch
    {
        "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" => ValueType.Integer,
        "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" or "UHUGEINT" => ValueType.UInteger,
        "FLOAT" or "DOUBLE" or "DECIMAL" => ValueType.Float,
        "VARCHAR" or "STRING_LITERAL" => ValueType.Text,
        "BOOLEAN" => ValueType.Boolean,
        "TIMESTAMP" or "TIMESTAMP_NS" or "TIMESTAMP_MS" or "TIMESTAMP_S" or "TIMESTAMP WITH TIME ZONE" => ValueType.Timestamp,
        "INTERVAL" => ValueType.Interval,
        "DATE" => ValueType.Date,
        "NULL" => ValueType.Null,
        _ => ValueType.Unknown,
    };

    public static bool IsInteger(ValueType type) => type is ValueType.Integer or ValueType.UInteger;

    /// <summary>
    /// The time zone of a timestamp expression InfluxDB 3 gives one (<c>tz</c>, <c>AT TIME ZONE</c>,
    /// <c>date_bin_wallclock</c>, <c>from_unixtime</c> with a zone, a cast to a zoned type); null for a zoneless one.
    /// </summary>
    public string? Zone(JsonNode? node)
    {
        if (node is not JsonObject expression)
        {
            return null;
        }

        var children = expression["children"]?.AsArray();
        switch (SelectTree.Text(expression, "class"))
        {
            case "FUNCTION" or "WINDOW":
                var name = SelectTree.Text(expression, "function_name").ToLowerInvariant();
                switch (name)
                {
                    case "tz":
                        return children is { Count: 2 } ? Literal(children[1]) : "UTC";
                    case "timezone":
                        return children is { Count: 2 } ? Literal(children[0]) : null;
                    case "from_unixtime":
                        return children is { Count: 2 } ? Literal(children[1]) : null;
                    case "arrow_cast":
                        return children is { Count: 2 } && Literal(children[1]) is { } arrow ? ZoneOfArrowType(arrow) : null;
                    case "to_local_time":
                        return null;
                    case "date_bin_wallclock" or "date_bin_wallclock_gapfill" or "date_bin" or "date_bin_gapfill" or "date_trunc":
                        return children is { Count: >= 2 } ? Zone(children[1]) : null;
                }

                return FirstArgumentFunctions.Contains(name) || name is "+" or "-" ? children?.Select(Zone).FirstOrDefault(z => z is not null) : null;
            case "CAST":
                return null;
            case "CASE":
                return Zone(expression["case_checks"]?.AsArray().FirstOrDefault()?["then_expr"]);
            default:
                return null;
        }
    }

    /// <summary>The zone of an Arrow timestamp type name, <c>Timestamp(Nanosecond, Some("UTC"))</c>.</summary>
    public static string? ZoneOfArrowType(string arrow)
    {
        var start = arrow.IndexOf("Some(\"", StringComparison.Ordinal);
        if (!arrow.StartsWith("Timestamp(", StringComparison.Ordinal) || start < 0)
        {
            return null;
        }

        var end = arrow.IndexOf('"', start + 6);
        return end > start ? arrow[(start + 6)..end] : null;
    }

    private static string? Literal(JsonNode? node) =>
        node is JsonObject constant && SelectTree.Text(constant, "class") == "CONSTANT" && constant["value"]?["value"] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : null;

    public ValueType Infer(JsonNode? node)
    {
        if (node is not JsonObject expression)
        {
            return ValueType.Unknown;
        }

        switch (SelectTree.Text(expression, "class"))
        {
            case "CONSTANT":
                return expression["value"]?["is_null"]?.GetValue<bool>() == true
                    ? ValueType.Null
                    : OfStoreType(expression["value"]?["type"]?["id"]?.GetValue<string>() ?? string.Empty);
            case "COLUMN_REF":
                var names = expression["column_names"]?.AsArray();
                return names is { Count: > 0 } && _columns.TryGetValue(names[^1]!.GetValue<string>(), out var column) ? column : ValueType.Unknown;
            case "CAST":
                return OfStoreType(expression["cast_type"]?["id"]?.GetValue<string>() ?? string.Empty);
            case "COMPARISON" or "CONJUNCTION" or "OPERATOR" when SelectTree.Text(expression, "type") != "OPERATOR_COALESCE":
                return ValueType.Boolean;
            case "OPERATOR":
                return FirstKnown(expression["children"]);
            case "BETWEEN":
                return ValueType.Boolean;
            case "CASE":
                return FirstKnown(new JsonArray([.. (expression["case_checks"]?.AsArray() ?? []).Select(c => c?["then_expr"]?.DeepClone()), expression["else_expr"]?.DeepClone()]));
            case "FUNCTION":
                return Function(expression);
            case "WINDOW":
                var window = SelectTree.Text(expression, "function_name");
                return IntegerFunctions.Contains(window) ? ValueType.Integer
                    : FirstArgumentFunctions.Contains(window) ? Infer(expression["children"]?.AsArray().FirstOrDefault())
                    : FloatFunctions.Contains(window) ? ValueType.Float
                    : ValueType.Unknown;
            default:
                return ValueType.Unknown;
        }
    }

    private ValueType Function(JsonObject function)
    {
        var name = SelectTree.Text(function, "function_name");
        var children = function["children"]?.AsArray() ?? [];
        if (name is "+" or "-" or "*" or "/" or "%" or "//")
        {
            var left = Infer(children.FirstOrDefault());
            var right = children.Count > 1 ? Infer(children[1]) : left;
            return (left, right) switch
            {
                (ValueType.Timestamp, ValueType.Interval) or (ValueType.Interval, ValueType.Timestamp) => ValueType.Timestamp,
                (ValueType.Timestamp, ValueType.Timestamp) when name == "-" => ValueType.Interval,
                (ValueType.Float, _) or (_, ValueType.Float) => ValueType.Float,
                (ValueType.Integer, ValueType.Integer) => ValueType.Integer,
                (ValueType.UInteger, ValueType.UInteger) => ValueType.UInteger,
                (ValueType.Integer or ValueType.UInteger, ValueType.Integer or ValueType.UInteger) => ValueType.Integer,
                (ValueType.Interval, ValueType.Interval) => ValueType.Interval,
                _ => ValueType.Unknown,
            };
        }

        return FloatFunctions.Contains(name) ? ValueType.Float
            : IntegerFunctions.Contains(name) ? ValueType.Integer
            : TextFunctions.Contains(name) ? ValueType.Text
            : TimestampFunctions.Contains(name) ? ValueType.Timestamp
            : BooleanFunctions.Contains(name) ? ValueType.Boolean
            : FirstArgumentFunctions.Contains(name) ? FirstKnown(children)
            : ValueType.Unknown;
    }

    private ValueType FirstKnown(JsonNode? children)
    {
        foreach (var child in children?.AsArray() ?? [])
        {
            var type = Infer(child);
            if (type is not (ValueType.Unknown or ValueType.Null))
            {
                return type;
            }
        }

        return ValueType.Unknown;
    }
}

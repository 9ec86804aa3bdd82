using System.Globalization;
using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>
/// DataFusion's rules where the store's differ and no setting of the store gives them (the settings are
/// applied by the store itself): decimal literals are floats; a float cast to an integer is truncated; an
/// integer divided by an integer is an integer, and by zero an error, a float divided by zero is infinite; <c>TIMESTAMP</c> means
/// nanoseconds; an integer cast to a timestamp is seconds since the epoch (an unsigned one nanoseconds), a
/// timestamp cast to an integer gives nanoseconds; time plus or minus an interval, and <c>date_bin</c>, keep nanoseconds;
/// a timestamp's text is ISO 8601 with a <c>T</c>. Each rewrite uses the store functions the store's
/// DataFusion function library defines (<c>df_*</c>).
/// </summary>
internal sealed partial class Semantics(ExpressionTypes types)
{
    private static readonly HashSet<string> IntegerTargets = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"];
    private static readonly HashSet<string> TextTargets = ["VARCHAR"];

    /// <summary>A decimal literal (<c>1.5</c>) is a 64-bit float in DataFusion, not an exact decimal; null for any other constant.</summary>
    public static JsonObject? Constant(JsonObject constant)
    {
        if (constant["value"] is not JsonObject { } value || value["type"]?["id"]?.GetValue<string>() != "DECIMAL" || value["is_null"]?.GetValue<bool>() == true)
        {
            return null;
        }

        var scale = value["type"]!["type_info"]?["scale"]?.GetValue<int>() ?? 0;
        var digits = value["value"]!.ToJsonString().Trim('"');
        var number = double.Parse(digits, CultureInfo.InvariantCulture) / Math.Pow(10, scale);

        // Rendered, a float constant reads as a decimal again: the cast keeps it a float.
        return Nodes.Cast(Nodes.Double(number, constant["query_location"]), "DOUBLE");
    }

    /// <summary>Translates a cast in place.</summary>
    public void Cast(JsonObject cast)
    {
        var target = cast["cast_type"]?["id"]?.GetValue<string>() ?? string.Empty;
        if (cast["child"] is not JsonObject child)
        {
            return;
        }

        var source = types.Infer(child);
        if (IntegerTargets.Contains(target))
        {
            if (SelectTree.Text(child, "function_name") == "-" && child["children"] is JsonArray { Count: 2 } operands
                && types.Infer(operands[0]) == ValueType.Timestamp && types.Infer(operands[1]) == ValueType.Timestamp)
            {
                // The difference of two timestamps, as an integer, is in nanoseconds.
                cast["child"] = Nodes.Operator("-", Nodes.Function("epoch_ns", child["query_location"], Detach((JsonObject)operands[0]!)),
                    Nodes.Function("epoch_ns", child["query_location"], Detach((JsonObject)operands[1]!)));
            }
            else if (source == ValueType.Text)
            {
                var arrowName = ExpressionTypes.StoreArrowName(target) ?? target;
                cast["child"] = Nodes.Function("df_checked_integer", child["query_location"], Detach(child), Nodes.Text(arrowName, child["query_location"]?.DeepClone()));
            }
            else if (source == ValueType.Timestamp)
            {
                cast["child"] = Nodes.Function("epoch_ns", child["query_location"], Detach(child));
            }
            else if (source is ValueType.Float or ValueType.Unknown)
            {
                cast["child"] = Nodes.Function("trunc", child["query_location"], Detach(child));
            }
        }
        else if (target is "TIMESTAMP" or "TIMESTAMP_NS")
        {
            cast["cast_type"] = new JsonObject { ["id"] = "TIMESTAMP_NS", ["type_info"] = null };
            // A signed integer counts seconds (as in PostgreSQL), an unsigned one nanoseconds.
            if (source == ValueType.Text)
            {
                cast["child"] = Nodes.Function("df_parse_timestamp", child["query_location"], Detach(child));
            }
            else if (source == ValueType.Integer)
            {
                cast["child"] = Nodes.Function("make_timestamp_ns", child["query_location"],
                    Nodes.Operator("*", Nodes.Cast(Detach(child), "BIGINT"), Nodes.Integer(1_000_000_000, child["query_location"])));
            }
            else if (source == ValueType.UInteger)
            {
                cast["child"] = Nodes.Function("make_timestamp_ns", child["query_location"], Nodes.Cast(Detach(child), "BIGINT"));
            }
        }
        else if (TextTargets.Contains(target) && source == ValueType.Timestamp)
        {
            cast["child"] = Nodes.Function("df_timestamp_text", child["query_location"], Detach(child));
        }
        else if (target == "INTERVAL" && Text(child) is { } text)
        {
            if (!IntervalText.TryParse(text, out var interval))
            {
                throw SelectTree.Refuse($"Invalid interval '{text}': write a number and a unit, such as '1 hour', '30 minutes' or '1 day 12 hours'");
            }

            if (interval.Nanoseconds % 1_000 != 0)
            {
                throw SelectTree.Refuse($"interval '{text}' is finer than a microsecond: such intervals are supported in date_bin and in time arithmetic (time + INTERVAL ...) only");
            }

            child["value"]!["value"] = $"{interval.Months} months {interval.Days} days {interval.Nanoseconds / 1_000} microseconds";
        }
    }

    /// <summary>The replacement of an operator or function call that DataFusion evaluates otherwise; null when it needs none.</summary>
    public JsonObject? Function(JsonObject function)
    {
        var name = SelectTree.Text(function, "function_name");
        var children = function["children"]?.AsArray();
        if (children is not null && Library(function, name.ToLowerInvariant(), children) is { } translated)
        {
            return translated;
        }

        switch (name.ToLowerInvariant())
        {
            case "arrow_cast":
                return ArrowCast(function, children);
            case "arrow_typeof":
                var arrow = children is { Count: 1 } ? types.ArrowName(children[0]) : null;
                return arrow is null
                    ? throw SelectTree.Refuse("arrow_typeof: the type of this expression cannot be told before it runs; apply arrow_typeof to a column, a literal or a cast")
                    : Nodes.Text(arrow, function["query_location"]?.DeepClone());
            case "selector_first" or "selector_last" or "selector_min" or "selector_max":
                return Selector(function, name.ToLowerInvariant(), children);
            case "regexp_match":
                return RegexpMatch(function, children);
            case "median" when children is { Count: 1 } && ExpressionTypes.IsInteger(types.Infer(children[0])):
                // The median of integers is an integer: the mean of the middle two, truncated.
                var median = Detach(function);
                median["function_name"] = "df_median";
                return Nodes.Cast(Nodes.Function("trunc", function["query_location"], median), types.Infer(children[0]) == ValueType.UInteger ? "UBIGINT" : "BIGINT");
        }

        if (children is not { Count: 2 } || children[0] is not JsonObject left || children[1] is not JsonObject right)
        {
            return name.Equals("date_bin", StringComparison.OrdinalIgnoreCase) && children is { Count: 3 } ? DateBin(function, children) : null;
        }

        switch (name)
        {
            case "/" or "%":
                var (l, r) = (types.Infer(left), types.Infer(right));
                if (l == ValueType.Float || r == ValueType.Float)
                {
                    // IEEE division: a float divided by zero is infinite (or NaN), not an error.
                    return name == "/" ? null : Nodes.Function("df_float_mod", function["query_location"], Detach(left), Detach(right));
                }

                // Integers divide to an integer, truncated toward zero, and refuse zero. The store's "//" does
                // that for integers and divides floats (an operand of unknown type) as "/" does.
                function["function_name"] = name == "/" ? "//" : name;
                children[1] = Nodes.Function("df_divisor", right["query_location"], Detach(right));
                return null;
            case "+" or "-":
                return TimeArithmetic(function, name == "-", left, right);
            default:
                return name.Equals("date_bin", StringComparison.OrdinalIgnoreCase) ? DateBin(function, children) : null;
        }
    }

    /// <summary><c>arrow_cast(x, 'Type')</c>: a cast to the store's type of that Arrow type, with the cast rules above.</summary>
    private JsonObject ArrowCast(JsonObject function, JsonArray? children)
    {
        if (children is not { Count: 2 } || children[0] is not JsonObject value || children[1] is not JsonObject type || Text(type) is not { } arrow)
        {
            throw SelectTree.Refuse("arrow_cast needs 2 arguments: the value and the name of an Arrow type, such as arrow_cast(x, 'Int64')");
        }

        var target = (ExpressionTypes.ZoneOfArrowType(arrow) is null ? null : "TIMESTAMP_NS") ?? ExpressionTypes.StoreType(arrow)
                     ?? throw SelectTree.Refuse($"Error during planning: arrow_cast: unsupported Arrow type '{arrow}' (supported: Int8-Int64, UInt8-UInt64, Float32, Float64, Utf8, LargeUtf8, Boolean, Timestamp(Nanosecond, None), Date32, Binary)");
        var cast = Nodes.Cast(Detach(value), target);
        cast["query_location"] = function["query_location"]?.DeepClone();
        Cast(cast);
        return cast;
    }

    /// <summary><c>time ± interval</c> to the nanosecond: the store's own arithmetic drops what is finer than a microsecond.</summary>
    private JsonObject? TimeArithmetic(JsonObject function, bool minus, JsonObject left, JsonObject right)
    {
        var (l, r) = (types.Infer(left), types.Infer(right));
        if (l == ValueType.Timestamp && r == ValueType.Timestamp && !minus)
        {
            throw SelectTree.Refuse("Error during planning: Invalid timestamp arithmetic operation: Timestamp(Nanosecond, None) + Timestamp(Nanosecond, None)");
        }

        var (time, interval) = (l, r) switch
        {
            (ValueType.Timestamp, ValueType.Interval) => (left, right),
            (ValueType.Interval, ValueType.Timestamp) when !minus => (right, left),
            _ => (null, null),
        };
        if (time is null || interval is null)
        {
            return null;
        }

        var location = function["query_location"];
        var nanoseconds = Nodes.Function("epoch_ns", location, Detach(time));
        if (IntervalConstant(interval) is { } constant)
        {
            var signed = minus ? constant.Negate() : constant;
            if (signed.IsFixed)
            {
                return Nodes.Function("make_timestamp_ns", location, Nodes.Operator("+", nanoseconds, Nodes.Integer(signed.Nanoseconds, location)));
            }

            return Nodes.Function("df_timestamp_add", location, Detach(time), Nodes.Integer(signed.Months, location), Nodes.Integer(signed.Days, location), Nodes.Integer(signed.Nanoseconds, location));
        }

        return Nodes.Function(minus ? "df_timestamp_minus_interval" : "df_timestamp_plus_interval", location, Detach(time), Detach(interval));
    }

    /// <summary><c>date_bin(stride, source[, origin])</c> in whole nanoseconds when the stride is a fixed length.</summary>
    private static JsonObject? DateBin(JsonObject function, JsonArray children)
    {
        if (children[0] is not JsonObject stride || IntervalConstant(stride) is not { } interval || children[1] is not JsonObject source)
        {
            return null;
        }

        var location = function["query_location"];
        if (interval.Months != 0)
        {
            if (interval.Days != 0 || interval.Nanoseconds != 0)
            {
                throw SelectTree.Refuse("Execution error: DATE_BIN stride does not support combination of month, day and nanosecond intervals");
            }

            var monthOrigin = children.Count > 2 && children[2] is JsonObject o ? Nodes.Cast(Detach(o), "TIMESTAMP_NS") : Nodes.Function("make_timestamp_ns", location, Nodes.Integer(0, location));
            return Nodes.Function("df_bin_months", location, Nodes.Cast(Detach(source), "TIMESTAMP_NS"), Nodes.Integer(interval.Months, location), monthOrigin);
        }

        if ((interval.Days * Interval.NanosecondsPerDay) + interval.Nanoseconds <= 0)
        {
            throw SelectTree.Refuse("Execution error: DATE_BIN stride must be non-zero");
        }

        interval = new Interval(0, 0, (interval.Days * Interval.NanosecondsPerDay) + interval.Nanoseconds);
        var origin = children.Count > 2 && children[2] is JsonObject given
            ? Nodes.Function("epoch_ns", location, Nodes.Cast(Detach(given), "TIMESTAMP_NS"))
            : Nodes.Integer(0, location);
        return Nodes.Function("make_timestamp_ns", location,
            Nodes.Function("df_bin", location, Nodes.Function("epoch_ns", location, Detach(source)), Nodes.Integer(interval.Nanoseconds, location), origin));
    }

    /// <summary>The value of an interval written as a constant (<c>INTERVAL '1 hour'</c>, <c>'1 hour'</c>); null for any other expression.</summary>
    internal static Interval? IntervalConstant(JsonObject expression)
    {
        var text = SelectTree.Text(expression, "class") == "CAST" && expression["cast_type"]?["id"]?.GetValue<string>() == "INTERVAL" && expression["child"] is JsonObject child
            ? Text(child)
            : Text(expression);
        return text is not null && IntervalText.TryParse(text, out var interval) ? interval : null;
    }

    private static string? Text(JsonObject constant) =>
        SelectTree.Text(constant, "class") == "CONSTANT" && constant["value"] is JsonObject value
        && value["type"]?["id"]?.GetValue<string>() is "VARCHAR" or "STRING_LITERAL" && value["value"] is JsonValue text && text.TryGetValue<string>(out var s)
            ? s
            : null;

    private static JsonObject Detach(JsonObject node)
    {
        var copy = node.DeepClone().AsObject();
        copy["alias"] = string.Empty;
        return copy;
    }
}

using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>InfluxDB 3's functions whose arguments or results the store's functions of the same purpose take or give otherwise.</summary>
internal sealed partial class Semantics
{
    private static readonly HashSet<string> TruncUnits = ["microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year"];

    private static readonly HashSet<string> DateParts =
    [
        "year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond", "microsecond", "dow", "doy", "epoch", "isodow", "isoyear",
    ];

    private static readonly Dictionary<string, long> TimestampUnits = new()
    {
        ["to_timestamp"] = 1, ["to_timestamp_nanos"] = 1, ["to_timestamp_micros"] = 1_000, ["to_timestamp_millis"] = 1_000_000, ["to_timestamp_seconds"] = 1_000_000_000,
    };

    /// <summary>The translation of a library function; null when the call runs as it is.</summary>
    private JsonObject? Library(JsonObject function, string name, JsonArray children)
    {
        var location = function["query_location"];
        switch (name)
        {
            case "power" or "pow" when children.Count == 2 && ExpressionTypes.IsInteger(types.Infer(children[0])) && ExpressionTypes.IsInteger(types.Infer(children[1])):
                // A power of integers is an integer.
                return Nodes.Cast(Nodes.Function("df_power", location, Detach(Child(children, 0)), Detach(Child(children, 1))), "BIGINT");
            case "lpad" or "rpad" when children.Count == 2:
                children.Add(Nodes.Text(" ", location?.DeepClone()));
                return null;
            case "regexp_like" or "regexp_matches":
                if (children.Count == 3 && Text(Child(children, 2)) is { } likeFlags && likeFlags.Contains('g', StringComparison.Ordinal))
                {
                    throw SelectTree.Refuse("Error during planning: regexp_like() does not support the \"global\" option");
                }

                function["function_name"] = "regexp_matches";
                return null;
            case "regexp_count" when children.Count >= 3:
                return RegexpCount(function, children);
            case "date_trunc" or "datetrunc" when children.Count == 2 && Text(Child(children, 0)) is { } unit && !TruncUnits.Contains(unit.ToLowerInvariant()):
                throw SelectTree.Refuse($"Execution error: Unsupported date_trunc granularity: '{unit}'. Supported values are: microsecond, millisecond, second, minute, hour, day, week, month, quarter, year");
            case "date_part" or "datepart" when children.Count == 2 && Text(Child(children, 0)) is { } part && !DateParts.Contains(part.ToLowerInvariant()):
                throw SelectTree.Refuse(part.Equals("nanosecond", StringComparison.OrdinalIgnoreCase)
                    ? "Execution error: Date part Nanosecond not supported"
                    : $"Execution error: Date part '{part}' not supported");
            case "to_timestamp" or "to_timestamp_nanos" or "to_timestamp_micros" or "to_timestamp_millis" or "to_timestamp_seconds":
                return ToTimestamp(function, name, children);
            case "to_unixtime" when children.Count >= 1:
                var instant = children.Count > 1 ? Parsed(function, children, "to_unixtime")
                    : types.Infer(children[0]) is ValueType.Text ? Nodes.Function("df_parse_timestamp", location, Detach(Child(children, 0)))
                    : Detach(Child(children, 0));
                return Nodes.Function("df_unixtime", location, instant);
            case "to_date" when children.Count == 1 && ExpressionTypes.IsInteger(types.Infer(children[0])):
                return Nodes.Function("df_days_to_date", location, Detach(Child(children, 0)));
            case "to_date" when children.Count > 1:
                return Nodes.Cast(Parsed(function, children, "to_date"), "DATE");
            case "to_char" or "date_format" when children.Count == 2:
                return ChronoFormat.Render(Detach(Child(children, 0)), Text(Child(children, 1)) ?? throw SelectTree.Refuse($"{name}: the format must be a string literal"), location);
            case "encode" or "decode" when children.Count == 2:
                return Encoding(function, name, children);
            case "sha224" or "sha384" or "sha512":
                throw SelectTree.Refuse($"Error during planning: {name} is not available here; sha256 and md5 are (and digest with 'sha256' or 'md5')");
            case "sha256" when children.Count == 1:
                return Nodes.Function("unhex", location, Nodes.Function("df_sha256", location, Detach(Child(children, 0))));
            case "digest" when children.Count == 2:
                var algorithm = Text(Child(children, 1))?.ToLowerInvariant();
                return algorithm switch
                {
                    "sha256" => Nodes.Function("unhex", location, Nodes.Function("df_sha256", location, Detach(Child(children, 0)))),
                    "md5" => Nodes.Function("unhex", location, Nodes.Function("md5", location, Detach(Child(children, 0)))),
                    _ => throw SelectTree.Refuse($"Error during planning: digest algorithm '{algorithm}' is not available here; sha256 and md5 are"),
                };
            case "named_struct":
                return NamedStruct(function, children);
            case "struct":
                return Nodes.Function("struct_pack", location, [.. children.OfType<JsonObject>().Select((c, i) => Named(Detach(c), $"c{i}"))]);
            case "nth_value" when SelectTree.Text(function, "class") == "FUNCTION" && children.Count == 2:
                // nth_value(x, n ORDER BY ...) as an aggregate: the n-th of the ordered values.
                var list = Detach(function);
                list["function_name"] = "list";
                list["children"] = new JsonArray(Detach(Child(children, 0)));
                return Nodes.Function("list_extract", location, list, Detach(Child(children, 1)));
            case "tz":
                return Tz(function, children);
            case "timezone" when children.Count == 2:
                return AtTimeZone(function, children);
            case "to_local_time" when children.Count == 1:
                return ToLocalTime(function, children);
            case "date_bin_wallclock" when children.Count is 2 or 3:
                return DateBinWallclock(function, children);
            case "from_unixtime" when children.Count == 2:
                ZoneArgument(Child(children, 1), "from_unixtime");
                return Nodes.Function("from_unixtime", location, Detach(Child(children, 0)));
            case "array_position" when children.Count == 3:
                return Nodes.Function("df_array_position_from", location, Detach(Child(children, 0)), Detach(Child(children, 1)), Detach(Child(children, 2)));
            default:
                return null;
        }
    }

    /// <summary><c>tz(timestamp[, zone])</c>: the same instant, shown in the zone (UTC without one); zoneless text and timestamps are UTC.</summary>
    private JsonObject Tz(JsonObject function, JsonArray children)
    {
        if (children.Count is < 1 or > 2)
        {
            throw SelectTree.Refuse($"Error during planning: tz expects 1 or 2 arguments, got {children.Count}");
        }

        if (children.Count == 2)
        {
            ZoneArgument(Child(children, 1), "tz", "Execution error: TZ requires a valid timezone string");
        }

        return Instant(Child(children, 0), function["query_location"]);
    }

    /// <summary><c>x AT TIME ZONE zone</c>: a zoneless timestamp's wall clock read in the zone; a zoned one converted; text with an offset read as that instant.</summary>
    private JsonObject AtTimeZone(JsonObject function, JsonArray children)
    {
        var zone = ZoneArgument(Child(children, 0), "AT TIME ZONE", "Execution error: failed to parse timezone");
        var value = Child(children, 1);
        var location = function["query_location"];
        if (types.Zone(value) is not null)
        {
            return Instant(value, location);
        }

        if (types.Infer(value) == ValueType.Text && Text(value) is { } text && OffsetSuffix().IsMatch(text.Trim()))
        {
            return Nodes.Function("df_parse_timestamp", location, Detach(value));
        }

        return Nodes.Function("df_from_wall", location, Instant(value, location), Nodes.Text(zone, location?.DeepClone()));
    }

    /// <summary><c>to_local_time(zoned)</c>: the zoneless wall clock of the zone.</summary>
    private JsonObject ToLocalTime(JsonObject function, JsonArray children)
    {
        var value = Child(children, 0);
        var location = function["query_location"];
        if (types.Infer(value) is not (ValueType.Timestamp or ValueType.Unknown))
        {
            throw SelectTree.Refuse($"Execution error: to_local_time function can only accept Timestamp as the args, got {types.ArrowName(value) ?? "another type"}");
        }

        return types.Zone(value) is { } zone
            ? Nodes.Function("df_to_wall", location, Instant(value, location), Nodes.Text(zone, location?.DeepClone()))
            : Instant(value, location);
    }

    /// <summary><c>date_bin_wallclock(stride, zoned[, origin])</c>: bins of the zone's wall clock, as instants in that zone.</summary>
    private JsonObject DateBinWallclock(JsonObject function, JsonArray children)
    {
        var location = function["query_location"];
        var value = Child(children, 1);
        var zone = types.Zone(value) ?? "UTC";
        var local = Nodes.Function("df_to_wall", location, Instant(value, location), Nodes.Text(zone, location?.DeepClone()));
        JsonObject[] arguments = children.Count == 3 ? [Detach(Child(children, 0)), local, Detach(Child(children, 2))] : [Detach(Child(children, 0)), local];
        return Nodes.Function("df_from_wall", location, Nodes.Function("date_bin", location, arguments), Nodes.Text(zone, location?.DeepClone()));
    }

    /// <summary>The instant a timestamp or its text stands for, in nanoseconds.</summary>
    private JsonObject Instant(JsonObject value, JsonNode? location) =>
        types.Infer(value) == ValueType.Text
            ? Nodes.Function("df_parse_timestamp", location, Detach(value))
            : Nodes.Cast(Detach(value), "TIMESTAMP_NS");

    private static string ZoneArgument(JsonObject argument, string function, string? refusal = null)
    {
        var zone = Text(argument) ?? throw SelectTree.Refuse($"{function}: the time zone must be a string literal");
        return Core.Time.TimeZones.IsKnown(zone)
            ? zone
            : throw SelectTree.Refuse($"{refusal ?? $"Execution error: {function}: invalid time zone"}, got '{zone}' (an IANA name such as 'Europe/Paris', or an offset such as '+05:30')");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(Z|[+-]\d\d(:?\d\d)?)$")]
    private static partial System.Text.RegularExpressions.Regex OffsetSuffix();

    private JsonObject ToTimestamp(JsonObject function, string name, JsonArray children)
    {
        var location = function["query_location"];
        var unit = TimestampUnits[name];
        if (children.Count > 1)
        {
            return Truncated(Parsed(function, children, name), unit, location);
        }

        if (children.Count != 1)
        {
            throw SelectTree.Refuse($"Error during planning: {name} expects 1 or more arguments, got 0");
        }

        var value = Child(children, 0);
        switch (types.Infer(value))
        {
            case ValueType.Text:
                return Truncated(Nodes.Function("df_parse_timestamp", location, Detach(value)), unit, location);
            case ValueType.Timestamp:
                return Truncated(Nodes.Cast(Detach(value), "TIMESTAMP_NS"), unit, location);
            case ValueType.Integer or ValueType.UInteger:
                return Nodes.Function("make_timestamp_ns", location, Nodes.Operator("*", Nodes.Cast(Detach(value), "BIGINT"), Nodes.Integer(unit, location)));
            case ValueType.Float when name == "to_timestamp":
                throw SelectTree.Refuse("Error during planning: to_timestamp supports either 1 argument of type Int64, UInt64, Utf8 or Timestamp, or 2 or more arguments of type Utf8 (a value and chrono formats); use to_timestamp_seconds for a float");
            case ValueType.Float:
                return Nodes.Function("make_timestamp_ns", location, Nodes.Cast(Nodes.Function("trunc", location, Nodes.Operator("*", Detach(value), Nodes.Integer(unit, location))), "BIGINT"));
            default:
                // The type shows only when the query runs (a parameter, a subquery's column): the store's macro decides then.
                function["function_name"] = name == "to_timestamp" ? "to_timestamp_nanos" : name;
                return Detach(function);
        }
    }

    /// <summary>A timestamp truncated to <paramref name="unit"/> nanoseconds (to_timestamp_seconds of a finer timestamp drops the fraction).</summary>
    private static JsonObject Truncated(JsonObject timestamp, long unit, JsonNode? location) =>
        unit == 1 ? timestamp : Nodes.Function("df_truncate_timestamp", location, timestamp, Nodes.Integer(unit, location));

    /// <summary><c>f(text, format1, format2, ...)</c>: the text read with the first chrono format that matches it.</summary>
    private static JsonObject Parsed(JsonObject function, JsonArray children, string name)
    {
        var location = function["query_location"];
        var text = Detach(Child(children, 0));
        var formats = children.Skip(1).OfType<JsonObject>()
            .Select(f => Text(f) ?? throw SelectTree.Refuse($"{name}: the formats must be string literals"))
            .ToList();
        var attempts = formats.Select(f => ChronoFormat.Parse(Detach(text), f, location)).ToList();
        var all = string.Join(", ", formats.Select(f => $"'{f}'"));
        var failure = Nodes.Function("error", location, Nodes.Function("concat", location,
            Nodes.Text("Execution error: Error parsing timestamp from '", location?.DeepClone()), Detach(text),
            Nodes.Text($"' using format {all}: input is out of range or does not match", location?.DeepClone())));
        return Nodes.Coalesce(location, [.. attempts, failure]);
    }

    private static JsonObject RegexpCount(JsonObject function, JsonArray children)
    {
        var location = function["query_location"];
        if (Child(children, 2) is var start && SelectTree.Text(start, "class") == "CONSTANT" && start["value"]?["value"] is JsonValue number
            && number.TryGetValue<long>(out var first) && first < 1)
        {
            throw SelectTree.Refuse("Execution error: regexp_count() requires start to be 1 based");
        }

        JsonObject[] arguments = children.Count == 4
            ? [Nodes.Function("substr", location, Detach(Child(children, 0)), Detach(Child(children, 2))), Detach(Child(children, 1)), Nodes.Integer(0, location), Detach(Child(children, 3))]
            : [Nodes.Function("substr", location, Detach(Child(children, 0)), Detach(Child(children, 2))), Detach(Child(children, 1))];
        return Nodes.Function("length", location, Nodes.Function("regexp_extract_all", location, arguments));
    }

    private static JsonObject Encoding(JsonObject function, string name, JsonArray children)
    {
        var location = function["query_location"];
        var format = Text(Child(children, 1))?.ToLowerInvariant();
        var value = Detach(Child(children, 0));
        return (name, format) switch
        {
            ("encode", "hex") => Nodes.Function("lower", location, Nodes.Function("hex", location, value)),
            ("encode", "base64") => Nodes.Function("df_base64", location, value),
            ("decode", "hex") => Nodes.Function("unhex", location, value),
            ("decode", "base64") => Nodes.Function("from_base64", location, value),
            _ => throw SelectTree.Refuse($"Error during planning: There is no built-in encoding named '{format}', currently supported encodings are: base64, hex"),
        };
    }

    private static JsonObject NamedStruct(JsonObject function, JsonArray children)
    {
        if (children.Count % 2 != 0 || children.Count == 0)
        {
            throw SelectTree.Refuse("Error during planning: named_struct requires an even number of arguments, got " + children.Count);
        }

        var fields = new List<JsonObject>();
        for (var i = 0; i < children.Count; i += 2)
        {
            var key = Text(Child(children, i)) ?? throw SelectTree.Refuse("Error during planning: named_struct requires its field names to be string literals");
            fields.Add(Named(Detach(Child(children, i + 1)), key));
        }

        return Nodes.Function("struct_pack", function["query_location"], [.. fields]);
    }

    private static JsonObject Named(JsonObject value, string name)
    {
        value["alias"] = name;
        return value;
    }

    private static JsonObject Child(JsonArray children, int index) =>
        children[index] as JsonObject ?? throw SelectTree.Refuse("an argument could not be read");
}

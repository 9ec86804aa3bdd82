using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>
/// InfluxDB 3's gap filling: a query grouped by <c>date_bin_gapfill(stride, time[, origin])</c> answers one
/// row per bin of the query's time range for every series (combination of the other GROUP BY columns) that
/// has data in it; <c>locf(aggregate)</c> carries the last non-null value forward within a series,
/// <c>interpolate(aggregate)</c> fills linearly between non-null neighbours (integers truncated), a plain
/// <c>count</c> is 0 in an added row and any other aggregate NULL. The range comes from the WHERE clause's
/// top-level conditions on the time column (the last of each side counts; <c>BETWEEN</c> includes both
/// ends); its first and last bins are those containing the bounds.
/// <para>
/// Translation: <see cref="Prepare"/> (before the rest of the translation) turns the query into the plain
/// aggregation over <c>date_bin</c>, with its columns named; <see cref="Build"/> (after it) wraps that
/// aggregation: a grid of series and bins, joined with the aggregation, filled with window functions.
/// </para>
/// </summary>
internal sealed partial class GapFill
{
    private const string Aggregate = "__gapfill_aggregate";
    private static readonly HashSet<string> Fills = new(StringComparer.OrdinalIgnoreCase) { "locf", "interpolate" };

    private readonly JsonObject _node;
    private readonly List<Item> _items = [];
    private readonly int _series;
    private readonly long _stride;
    private readonly JsonObject? _origin;
    private readonly string _timeColumn;
    private readonly JsonArray _modifiers;

    private GapFill(JsonObject node, int series, long stride, JsonObject? origin, string timeColumn, JsonArray modifiers)
    {
        _node = node;
        _series = series;
        _stride = stride;
        _origin = origin;
        _timeColumn = timeColumn;
        _modifiers = modifiers;
    }

    private enum Kind
    {
        Time,
        Series,
        Plain,
        Count,
        Locf,
        Interpolate,
    }

    private sealed record Item(Kind Kind, string Inner, string Name, int Series, bool Integer);

    /// <summary>Prepares a gap-filling query for translation; null when <paramref name="statement"/> does not fill gaps (and uses none of its functions).</summary>
    public static GapFill? Prepare(JsonObject statement, Func<JsonObject, string> name, ExpressionTypes types)
    {
        if (statement["node"] is not JsonObject { } node || SelectTree.Text(node, "type") != "SELECT_NODE"
            || node["group_expressions"] is not JsonArray groups || node["select_list"] is not JsonArray list)
        {
            RefuseStray(statement);
            return null;
        }

        var gapfillGroups = groups.Select((g, i) => (Group: g as JsonObject, Index: i))
            .Where(g => g.Group is not null && Resolve(g.Group, list) is { } e && IsGapFill(e)).ToList();
        if (gapfillGroups.Count == 0)
        {
            if (groups.Any(g => g is JsonObject o && Tree.Contains(o, IsGapFill)))
            {
                throw SelectTree.Refuse("Error during planning: DATE_BIN_GAPFILL must be a top-level expression in the GROUP BY clause when gap filling. It cannot be part of another expression or cast");
            }

            RefuseStray(statement);
            return null;
        }

        if (gapfillGroups.Count > 1)
        {
            throw SelectTree.Refuse("Error during planning: DATE_BIN_GAPFILL specified more than once");
        }

        var call = Resolve(gapfillGroups[0].Group!, list)!;
        var arguments = call["children"]!.AsArray();
        if (arguments.Count is < 2 or > 3)
        {
            throw SelectTree.Refuse($"Error during planning: DATE_BIN_GAPFILL expects 2 or 3 arguments, got {arguments.Count}");
        }

        if (arguments[0] is not JsonObject strideArgument || Semantics.IntervalConstant(strideArgument) is not { } stride)
        {
            throw SelectTree.Refuse("Error during planning: stride argument to DATE_BIN_GAPFILL for gap fill query must evaluate to a scalar interval");
        }

        if (stride.Months != 0)
        {
            throw SelectTree.Refuse("Execution error: gap filling does not support month intervals");
        }

        var strideNanoseconds = (stride.Days * Interval.NanosecondsPerDay) + stride.Nanoseconds;
        if (strideNanoseconds <= 0)
        {
            throw SelectTree.Refuse("Execution error: date_bin_gapfill: the stride must be greater than zero");
        }

        if (arguments[1] is not JsonObject source || SelectTree.Text(source, "class") != "COLUMN_REF")
        {
            throw SelectTree.Refuse("Error during planning: DATE_BIN_GAPFILL requires a column as the source argument");
        }

        var timeColumn = source["column_names"]!.AsArray()[^1]!.GetValue<string>();
        var origin = arguments.Count == 3 ? arguments[2]!.DeepClone().AsObject() : null;

        // The series: every other GROUP BY entry, also selected under a name of the translation's own.
        var seriesExpressions = groups.Where((g, i) => i != gapfillGroups[0].Index).Select(g => Resolve((JsonObject)g!, list)!.DeepClone().AsObject()).ToList();
        var fill = new GapFill(node, seriesExpressions.Count, strideNanoseconds, origin, timeColumn, node["modifiers"]?.DeepClone().AsArray() ?? []);

        for (var i = 0; i < list.Count; i++)
        {
            var item = (JsonObject)list[i]!;
            var alias = SelectTree.Text(item, "alias");
            var shown = alias.Length > 0 ? alias : name(item);
            var inner = alias.Length > 0 ? alias : $"__gapfill_c{i}";
            var kind = Kind.Plain;
            var series = -1;
            if (IsGapFill(item))
            {
                kind = Kind.Time;
            }
            else if (seriesExpressions.FindIndex(s => Tree.Same(s, item)) is >= 0 and var index)
            {
                (kind, series) = (Kind.Series, index);
            }
            else if (SelectTree.Text(item, "class") == "FUNCTION" && Fills.Contains(SelectTree.Text(item, "function_name")))
            {
                kind = SelectTree.Text(item, "function_name").Equals("locf", StringComparison.OrdinalIgnoreCase) ? Kind.Locf : Kind.Interpolate;
                var argument = item["children"]?.AsArray() is { Count: 1 } one && one[0] is JsonObject a ? a : null;
                if (argument is null || !IsAggregate(argument))
                {
                    throw SelectTree.Refuse($"Error during planning: {kind.ToString().ToLowerInvariant()} must be called on an aggregate column in a gap-filling query");
                }

                var unwrapped = argument.DeepClone().AsObject();
                item.Clear();
                foreach (var (key, value) in unwrapped.ToList())
                {
                    unwrapped.Remove(key);
                    item[key] = value;
                }
            }
            else if (SelectTree.Text(item, "class") == "FUNCTION" && SelectTree.Text(item, "function_name") is "count" or "count_star")
            {
                kind = Kind.Count;
            }

            item["alias"] = inner;
            var integer = kind == Kind.Interpolate && ExpressionTypes.IsInteger(types.Infer(item));
            fill._items.Add(new Item(kind, inner, shown, series, integer));
        }

        if (fill._items.Where(i => i.Kind is Kind.Locf or Kind.Interpolate).GroupBy(i => i.Inner).Any(g => g.Count() > 1))
        {
            throw SelectTree.Refuse("This feature is not implemented: multiple fill strategies for the same column");
        }

        // The aggregation groups by date_bin; the bins and series come out under names of their own.
        Tree.Rename(node, "date_bin_gapfill", "date_bin");
        var bin = call.DeepClone().AsObject();
        bin["function_name"] = "date_bin";
        bin["alias"] = "__gapfill_time";
        list.Add(bin);
        for (var j = 0; j < seriesExpressions.Count; j++)
        {
            var series = seriesExpressions[j];
            Tree.Rename(series, "date_bin_gapfill", "date_bin");
            series["alias"] = $"__gapfill_g{j}";
            list.Add(series);
        }

        node["modifiers"] = new JsonArray();
        RefuseStray(node);
        return fill;
    }

    /// <summary>The statement that fills the gaps of the (translated) aggregation, parsed with <paramref name="parse"/>.</summary>
    public JsonObject Build(Func<string, JsonObject> parse)
    {
        var (lower, lowerIncluded, upper, upperIncluded) = Bounds();
        var origin = _origin is null ? "0" : "epoch_ns(CAST(__gapfill_origin AS TIMESTAMP_NS))";
        var stride = _stride.ToString(CultureInfo.InvariantCulture);
        var first = $"df_bin(epoch_ns(CAST(__gapfill_lower AS TIMESTAMP_NS)){(lowerIncluded ? string.Empty : " + 1")}, {stride}, {origin})";
        var last = $"df_bin(epoch_ns(CAST(__gapfill_upper AS TIMESTAMP_NS)){(upperIncluded ? string.Empty : " - 1")}, {stride}, {origin})";
        var series = Enumerable.Range(0, _series).Select(j => $"__gapfill_g{j}").ToList();
        var distinct = series.Count == 0 ? "1 AS __gapfill_one" : string.Join(", ", series);
        var partition = series.Count == 0 ? string.Empty : "PARTITION BY " + string.Join(", ", series.Select(s => "g." + s)) + " ";
        var before = $"({partition}ORDER BY g.__gapfill_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
        var after = $"({partition}ORDER BY g.__gapfill_time ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)";

        var select = new StringBuilder();
        foreach (var item in _items)
        {
            var value = $"a.{Quote(item.Inner)}";
            var known = $"CASE WHEN {value} IS NOT NULL THEN epoch_ns(g.__gapfill_time) END";
            select.Append(select.Length == 0 ? string.Empty : ", ").Append(item.Kind switch
            {
                Kind.Time => "g.__gapfill_time",
                Kind.Series => $"g.__gapfill_g{item.Series}",
                Kind.Count => $"coalesce({value}, 0)",
                Kind.Locf => $"last_value({value} IGNORE NULLS) OVER {before}",
                Kind.Interpolate => Interpolation(value, known, before, after, item.Integer),
                _ => value,
            }).Append(" AS ").Append(Quote(item.Name));
        }

        var join = string.Join(" AND ", series.Select(s => $"a.{s} IS NOT DISTINCT FROM g.{s}").Append("a.__gapfill_time = g.__gapfill_time"));
        var order = string.Join(", ", series.Select(s => $"g.{s} ASC NULLS FIRST").Append("g.__gapfill_time ASC"));
        var sql = $"""
            WITH {Aggregate} AS (SELECT 1),
            __gapfill_grid AS (
                SELECT s.*, make_timestamp_ns(unnest(generate_series({first}, {last}, {stride}))) AS __gapfill_time
                FROM (SELECT DISTINCT {distinct} FROM {Aggregate}) s)
            SELECT {select} FROM __gapfill_grid g LEFT JOIN {Aggregate} a ON {join}
            ORDER BY {order}
            """;

        var statement = parse(sql);
        var outer = statement["node"]!.AsObject();
        var entry = outer["cte_map"]!["map"]!.AsArray().First(e => e!["key"]!.GetValue<string>() == Aggregate)!;
        entry["value"]!["query"]!["node"] = _node.DeepClone();
        Tree.Substitute(outer, "__gapfill_lower", lower);
        Tree.Substitute(outer, "__gapfill_upper", upper);
        if (_origin is not null)
        {
            Tree.Substitute(outer, "__gapfill_origin", _origin);
        }

        if (_modifiers.Count > 0)
        {
            // The query's own ORDER BY and LIMIT name its output columns, which the outer query has.
            var own = _modifiers.DeepClone().AsArray();
            if (!own.Any(m => SelectTree.Text((JsonObject)m!, "type") == "ORDER_MODIFIER"))
            {
                own.Insert(0, outer["modifiers"]!.AsArray().First()!.DeepClone());
            }

            outer["modifiers"] = own;
        }

        return statement;
    }

    private static string Interpolation(string value, string known, string before, string after, bool integer)
    {
        var previous = $"last_value({value} IGNORE NULLS) OVER {before}";
        var next = $"first_value({value} IGNORE NULLS) OVER {after}";
        var previousTime = $"last_value({known} IGNORE NULLS) OVER {before}";
        var nextTime = $"first_value({known} IGNORE NULLS) OVER {after}";
        var line = $"((CAST({next} AS DOUBLE) - CAST({previous} AS DOUBLE)) / CAST({nextTime} - {previousTime} AS DOUBLE) * CAST(epoch_ns(g.__gapfill_time) - {previousTime} AS DOUBLE) + CAST({previous} AS DOUBLE))";
        return $"CASE WHEN {value} IS NOT NULL THEN {value} ELSE {(integer ? $"CAST(trunc({line}) AS BIGINT)" : line)} END";
    }

    /// <summary>A GROUP BY entry as the expression it stands for: an ordinal or an alias names a SELECT item.</summary>
    private static JsonObject? Resolve(JsonObject group, JsonArray list)
    {
        if (SelectTree.Text(group, "class") == "CONSTANT" && group["value"]?["value"] is JsonValue number && number.TryGetValue<long>(out var ordinal)
            && ordinal >= 1 && ordinal <= list.Count)
        {
            return (JsonObject)list[(int)ordinal - 1]!;
        }

        if (SelectTree.Text(group, "class") == "COLUMN_REF" && group["column_names"]!.AsArray() is { Count: 1 } names
            && list.OfType<JsonObject>().FirstOrDefault(i => SelectTree.Text(i, "alias").Equals(names[0]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase)) is { } aliased)
        {
            return aliased;
        }

        return group;
    }

    private static bool IsGapFill(JsonObject node) =>
        SelectTree.Text(node, "class") == "FUNCTION" && SelectTree.Text(node, "function_name").Equals("date_bin_gapfill", StringComparison.OrdinalIgnoreCase);

    private static bool IsAggregate(JsonObject node) => SelectTree.Text(node, "class") == "FUNCTION" && node["is_operator"]?.GetValue<bool>() != true;

    /// <summary>Gap-filling functions anywhere else are refused as upstream refuses them.</summary>
    private static void RefuseStray(JsonObject scope)
    {
        if (Tree.Find(scope, IsGapFill) is not null)
        {
            throw SelectTree.Refuse("Error during planning: date_bin_gapfill may only be used as a GROUP BY expression");
        }

        if (Tree.Find(scope, n => SelectTree.Text(n, "class") == "FUNCTION" && Fills.Contains(SelectTree.Text(n, "function_name"))) is { } stray)
        {
            throw SelectTree.Refuse($"Error during planning: {SelectTree.Text(stray, "function_name").ToLowerInvariant()} may only be used in the SELECT list of a gap-filling query");
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

using System.Globalization;
using Scripting.Core.Catalog;
using Scripting.InfluxQL.Syntax;
using Scripting.Query;

namespace Scripting.InfluxQL.Planning;

/// <summary>
/// A SELECT planned into SQL for the query layer, one query per measurement, and its rows cut into series.
/// Served so far: raw fields and tags (<c>*</c> included), arithmetic on them, and the aggregates and
/// selectors <c>count</c>, <c>mean</c>, <c>sum</c>, <c>min</c>, <c>max</c>, <c>first</c>, <c>last</c>,
/// <c>median</c>, <c>spread</c>, <c>stddev</c>, with <c>GROUP BY</c> tags and <c>time(interval[, offset])</c>
/// (<c>fill(none)</c>), conditions, <c>ORDER BY time DESC</c>, <c>LIMIT</c> and <c>OFFSET</c> per series.
/// Anything else is refused with the reason.
/// </summary>
internal sealed partial class SelectPlanner(QueryLayer queries, ShowStatements show, long now)
{
    private static readonly IReadOnlyDictionary<string, object?> NoParameters = new Dictionary<string, object?>();

    private static readonly HashSet<string> Aggregates = ["count", "mean", "sum", "min", "max", "first", "last", "median", "spread", "stddev"];

    public async Task<IReadOnlyList<Series>> RunAsync(string database, SelectStatement select, CancellationToken cancellationToken)
    {
        if (select.Sources.Any(s => s is SubquerySource))
        {
            throw InfluxQlErrors.Invalid("subqueries are not served over InfluxQL yet");
        }

        if (select.TimeZone is not null)
        {
            throw InfluxQlErrors.Invalid("tz() is not served over InfluxQL yet: times are UTC");
        }

        var series = new List<Series>();
        var tables = show.Sources(database, select.Sources).ToList();
        var wildcardColumns = tables.SelectMany(t => t.Columns).Where(c => c.Type != ColumnType.Time).Select(c => c.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var table in tables)
        {
            series.AddRange(await MeasurementAsync(database, table, select, wildcardColumns, cancellationToken));
        }

        return series;
    }

    private async Task<IReadOnlyList<Series>> MeasurementAsync(string database, TableDefinition table, SelectStatement select, List<string> wildcardColumns, CancellationToken cancellationToken)
    {
        var tags = GroupTags(table, select);
        var aggregate = select.Fields.Any(f => f.Expression is Call);
        if (aggregate && !select.Fields.All(f => f.Expression is Call c && Aggregates.Contains(c.Name)))
        {
            var call = select.Fields.Select(f => f.Expression).OfType<Call>().FirstOrDefault(c => !Aggregates.Contains(c.Name));
            throw InfluxQlErrors.Invalid(call is null
                ? "mixing aggregate and non-aggregate queries is not supported"
                : $"the function {call.Name}() is not served over InfluxQL yet");
        }

        var conditions = new Conditions(table, now);
        var where = conditions.Sql(select.Condition);
        var (names, expressions) = aggregate ? AggregateColumns(table, select) : RawColumns(table, select, tags, wildcardColumns);
        if (expressions.Count == 0)
        {
            return [];
        }

        var sql = aggregate
            ? AggregateSql(table, select, tags, expressions, where, conditions)
            : RawSql(table, select, tags, expressions, where);
        var result = await queries.QueryAsync(database, sql, NoParameters, cancellationToken);
        var series = Cut(table.Name, tags, ["time", .. names], result.Rows, select);
        if (aggregate && select.GroupByTime is { } dimension && select.Fill.Kind != FillKind.None && TimeRange(select.Condition, conditions) is { Lower: { } lower } range)
        {
            var counts = select.Fields.Select(f => ((Call)f.Expression).Name == "count").ToArray();
            series = [.. series.Select(s => Filled(s, dimension, lower, range.Upper ?? now, select.Fill, counts, select.Descending))];
        }

        return series;
    }

    private static List<string> GroupTags(TableDefinition table, SelectStatement select)
    {
        var tags = table.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        if (select.GroupByAllTags)
        {
            return tags;
        }

        var regex = select.GroupByTagRegex is { } pattern ? ShowStatements.Regex(pattern) : null;
        return [.. tags.Where(t => select.GroupByTags.Contains(t) || (regex?.IsMatch(t) ?? false))];
    }

    private static (List<string> Names, List<string> Sql) RawColumns(TableDefinition table, SelectStatement select, List<string> groupTags, List<string> wildcardColumns)
    {
        var names = new List<string>();
        var sql = new List<string>();
        foreach (var field in select.Fields)
        {
            if (field.Expression is Wildcard)
            {
                foreach (var column in wildcardColumns.Where(c => !groupTags.Contains(c)))
                {
                    names.Add(column);
                    sql.Add(table.Columns.Any(c => c.Name == column) ? SqlText.Identifier(column) : "NULL");
                }

                continue;
            }

            names.Add(field.Alias ?? NameOf(field.Expression));
            sql.Add(Scalar(table, field.Expression));
        }

        return (Unique(names), sql);
    }

    private static (List<string> Names, List<string> Sql) AggregateColumns(TableDefinition table, SelectStatement select)
    {
        var names = new List<string>();
        var sql = new List<string>();
        foreach (var field in select.Fields)
        {
            var call = (Call)field.Expression;
            if (call.Arguments.Count != 1 || call.Arguments[0] is not VarRef argument)
            {
                throw InfluxQlErrors.Invalid($"expected field argument in {call.Name}()");
            }

            var column = table.Columns.FirstOrDefault(c => c.Name == argument.Name);
            names.Add(field.Alias ?? call.Name);
            if (column is null || column.Type is ColumnType.Tag or ColumnType.Time)
            {
                sql.Add("NULL");
                continue;
            }

            var f = SqlText.Identifier(column.Name);
            sql.Add(call.Name switch
            {
                "count" => $"count({f})",
                "mean" => $"avg({f})",
                "sum" => $"sum({f})",
                "min" => $"min({f})",
                "max" => $"max({f})",
                "first" => $"selector_first({f}, time)['value']",
                "last" => $"selector_last({f}, time)['value']",
                "median" => $"median({f})",
                "spread" => $"max({f}) - min({f})",
                _ => $"stddev({f})",
            });
        }

        return (Unique(names), sql);
    }

    private static string RawSql(TableDefinition table, SelectStatement select, List<string> tags, List<string> expressions, string? where)
    {
        var fields = select.Fields.SelectMany(f => f.Expression is Wildcard
                ? table.Columns.Where(c => c.Type is not (ColumnType.Tag or ColumnType.Time)).Select(c => c.Name)
                : References(f.Expression).Where(n => table.Columns.Any(c => c.Name == n && c.Type is not (ColumnType.Tag or ColumnType.Time))))
            .Distinct().ToList();
        if (fields.Count == 0)
        {
            return $"SELECT time FROM {SqlText.Identifier(table.Name)} WHERE FALSE";
        }

        var conditions = new List<string> { "(" + string.Join(" OR ", fields.Select(f => SqlText.Identifier(f) + " IS NOT NULL")) + ")" };
        if (where is not null)
        {
            conditions.Add(where);
        }

        var allTags = table.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => SqlText.Identifier(c.Name)).Order(StringComparer.Ordinal).ToList();
        var direction = select.Descending ? " DESC" : string.Empty;
        var partition = tags.Count == 0 ? string.Empty : "PARTITION BY " + string.Join(", ", tags.Select(SqlText.Identifier)) + " ";
        var order = "time" + direction + string.Concat(allTags.Select(t => ", " + t + direction));
        var columns = string.Join(", ", expressions.Select((e, i) => $"{e} AS c{i}"));
        var groupColumns = string.Concat(tags.Select(t => ", " + SqlText.Identifier(t) + " AS " + SqlText.Identifier("tag:" + t)));
        var inner = $"SELECT time, {columns}{groupColumns}, row_number() OVER ({partition}ORDER BY {order}) AS rn FROM {SqlText.Identifier(table.Name)} WHERE {string.Join(" AND ", conditions)}";
        var offset = select.Offset ?? 0;
        var bounds = select.Limit is { } limit and > 0 ? $" WHERE rn > {offset} AND rn <= {offset + limit}" : offset > 0 ? $" WHERE rn > {offset}" : string.Empty;
        var outer = string.Join(", ", expressions.Select((_, i) => $"c{i}")) + string.Concat(tags.Select(t => ", " + SqlText.Identifier("tag:" + t)));
        var seriesOrder = string.Concat(tags.Select(t => SqlText.Identifier("tag:" + t) + ", "));
        return $"SELECT time, {outer} FROM ({inner}) AS ranked{bounds} ORDER BY {seriesOrder}rn";
    }

    private static string AggregateSql(TableDefinition table, SelectStatement select, List<string> tags, List<string> expressions, string? where, Conditions conditions)
    {
        var (lower, _) = TimeRange(select.Condition, conditions);
        string time;
        string groupTime = string.Empty;
        if (select.GroupByTime is { } dimension)
        {
            if (dimension.OffsetIsNow)
            {
                throw InfluxQlErrors.Invalid("GROUP BY time(..., now()) is not served yet");
            }

            var offset = ((dimension.OffsetNanoseconds % dimension.IntervalNanoseconds) + dimension.IntervalNanoseconds) % dimension.IntervalNanoseconds;
            time = $"date_bin(INTERVAL '{dimension.IntervalNanoseconds.ToString(CultureInfo.InvariantCulture)} nanoseconds', time, {SqlText.Instant(offset)}::TIMESTAMP)";
            groupTime = "1";
        }
        else
        {
            var selector = select.Fields.Count == 1 && ((Call)select.Fields[0].Expression).Name is "first" or "last" or "min" or "max";
            var call = (Call)select.Fields[0].Expression;
            time = selector && table.Columns.Any(c => c.Name == ((VarRef)call.Arguments[0]).Name)
                ? $"selector_{call.Name}({SqlText.Identifier(((VarRef)call.Arguments[0]).Name)}, time)['time']"
                : $"{SqlText.Instant(lower ?? 0)}::TIMESTAMP";
        }

        var groups = new List<string>();
        if (groupTime.Length > 0)
        {
            groups.Add(groupTime);
        }

        groups.AddRange(tags.Select(SqlText.Identifier));
        var columns = string.Join(", ", expressions.Select((e, i) => $"{e} AS c{i}"));
        var groupColumns = string.Concat(tags.Select(t => ", " + SqlText.Identifier(t) + " AS " + SqlText.Identifier("tag:" + t)));
        var whereText = where is null ? string.Empty : " WHERE " + where;
        var groupBy = groups.Count == 0 ? string.Empty : " GROUP BY " + string.Join(", ", groups);
        var order = string.Join(", ", tags.Select(t => SqlText.Identifier("tag:" + t)).Append("time" + (select.Descending ? " DESC" : string.Empty)));
        return $"SELECT {time} AS time, {columns}{groupColumns} FROM {SqlText.Identifier(table.Name)}{whereText}{groupBy} ORDER BY {order}";
    }

    /// <summary>The rows cut into series where the group's tags change; columns <c>time</c> and the fields.</summary>
    private static List<Series> Cut(string measurement, List<string> tags, List<string> columns, IReadOnlyList<object?[]> rows, SelectStatement select)
    {
        var series = new List<Series>();
        List<object?[]>? values = null;
        string?[]? current = null;
        foreach (var row in rows)
        {
            var key = tags.Select((_, i) => row[columns.Count + i] as string).ToArray();
            if (current is null || !key.SequenceEqual(current))
            {
                values = [];
                current = key;
                series.Add(new Series(measurement, tags.Count == 0 ? null : tags.Select((t, i) => (t, key[i] ?? string.Empty)).ToDictionary(p => p.t, p => p.Item2), columns, values) { TimeColumn = 0 });
            }

            values!.Add(row[..columns.Count]);
        }

        var skip = (int)Math.Min(select.SeriesOffset ?? 0, int.MaxValue);
        return [.. (select.SeriesLimit is { } limit and > 0 ? series.Skip(skip).Take((int)Math.Min(limit, int.MaxValue)) : series.Skip(skip))];
    }

    private static string Scalar(TableDefinition table, Expr expression) => expression switch
    {
        VarRef v => table.Columns.Any(c => c.Name == v.Name) ? SqlText.Identifier(v.Name) : "NULL",
        IntegerLiteral i => i.Value.ToString(CultureInfo.InvariantCulture),
        NumberLiteral n => SqlText.Number(n.Value),
        StringLiteral s => SqlText.Literal(s.Value),
        BooleanLiteral b => b.Value ? "TRUE" : "FALSE",
        Paren p => "(" + Scalar(table, p.Inner) + ")",
        Binary { Operator: "+" or "-" or "*" or "/" or "%" } b => $"({Scalar(table, b.Left)} {b.Operator} {Scalar(table, b.Right)})",
        _ => throw InfluxQlErrors.Invalid($"unsupported expression: {ExprText.Of(expression)}"),
    };

    private static IEnumerable<string> References(Expr expression) => expression switch
    {
        VarRef v => [v.Name],
        Paren p => References(p.Inner),
        Binary b => References(b.Left).Concat(References(b.Right)),
        Call c => c.Arguments.SelectMany(References),
        _ => [],
    };

    /// <summary>The column name InfluxDB gives an expression: a function's name, else its first field's.</summary>
    private static string NameOf(Expr expression) => expression switch
    {
        Call c => c.Name,
        _ => References(expression).FirstOrDefault() ?? string.Empty,
    };

    /// <summary>Duplicate names get <c>_1</c>, <c>_2</c>..., as InfluxDB names them.</summary>
    private static List<string> Unique(List<string> names)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<string>(names.Count);
        foreach (var name in names)
        {
            if (seen.TryGetValue(name, out var count))
            {
                seen[name] = count + 1;
                unique.Add($"{name}_{count}");
            }
            else
            {
                seen[name] = 1;
                unique.Add(name);
            }
        }

        return unique;
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Scripting.Core.Catalog;
using Scripting.InfluxQL.Syntax;
using Scripting.Query;

namespace Scripting.InfluxQL.Planning;

/// <summary>
/// The SHOW statements: databases, retention policies, measurements, tag keys and field keys from the
/// catalog; tag values and series (and the measurements, tag keys a WHERE narrows) from the data, through
/// the query layer.
/// </summary>
internal sealed class ShowStatements(QueryLayer queries, SchemaCatalog catalog, long now)
{
    private static readonly IReadOnlyDictionary<string, object?> NoParameters = new Dictionary<string, object?>();

    public Task<IReadOnlyList<Series>> DatabasesAsync()
    {
        IReadOnlyList<Series> series = [new Series("databases", null, ["name"], [.. catalog.Databases.Select(d => new object?[] { d.Name })])];
        return Task.FromResult(series);
    }

    public Task<IReadOnlyList<Series>> RetentionPoliciesAsync(string database)
    {
        _ = Database(database);
        IReadOnlyList<Series> series = [new Series(null, null, ["name", "duration", "shardGroupDuration", "replicaN", "default"], [["autogen", "0s", "168h0m0s", 1L, true]])];
        return Task.FromResult(series);
    }

    public async Task<IReadOnlyList<Series>> MeasurementsAsync(string database, ShowMeasurementsStatement show, CancellationToken cancellationToken)
    {
        var tables = Database(database).Tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal).AsEnumerable();
        if (show.MeasurementName is { } name)
        {
            tables = tables.Where(t => t.Name == name);
        }

        if (show.MeasurementRegex is { } pattern)
        {
            var regex = Regex(pattern);
            tables = tables.Where(t => regex.IsMatch(t.Name));
        }

        var names = new List<object?[]>();
        foreach (var table in tables)
        {
            if (show.Condition is null || await AnyAsync(database, table, show.Condition, cancellationToken))
            {
                names.Add([table.Name]);
            }
        }

        var page = Page(names, show.Limit, show.Offset);
        return page.Count == 0 ? [] : [new Series("measurements", null, ["name"], page)];
    }

    public async Task<IReadOnlyList<Series>> TagKeysAsync(string database, ShowTagKeysStatement show, CancellationToken cancellationToken)
    {
        var series = new List<Series>();
        foreach (var table in Sources(database, show.Sources))
        {
            if (show.Condition is not null && !await AnyAsync(database, table, show.Condition, cancellationToken))
            {
                continue;
            }

            var keys = Page([.. Tags(table).Select(t => new object?[] { t })], show.Limit, show.Offset);
            if (keys.Count > 0)
            {
                series.Add(new Series(table.Name, null, ["tagKey"], keys));
            }
        }

        return series;
    }

    public async Task<IReadOnlyList<Series>> TagValuesAsync(string database, ShowTagValuesStatement show, CancellationToken cancellationToken)
    {
        var keyRegex = show.KeyRegex is { } pattern ? Regex(pattern) : null;
        bool Chosen(string key) => show.KeyOperator switch
        {
            "=" or "IN" => show.Keys.Contains(key),
            "!=" or "<>" => !show.Keys.Contains(key),
            "=~" => keyRegex!.IsMatch(key),
            _ => !keyRegex!.IsMatch(key),
        };

        var series = new List<Series>();
        foreach (var table in Sources(database, show.Sources))
        {
            var rows = new List<object?[]>();
            var conditions = new Conditions(table, now).Sql(show.Condition);
            foreach (var key in Tags(table).Where(Chosen))
            {
                var column = SqlText.Identifier(key);
                var sql = $"SELECT DISTINCT {column} AS v FROM {SqlText.Identifier(table.Name)} WHERE {column} IS NOT NULL{(conditions is null ? string.Empty : " AND " + conditions)} ORDER BY 1";
                var result = await queries.QueryAsync(database, sql, NoParameters, cancellationToken);
                rows.AddRange(result.Rows.Select(r => new object?[] { key, r[0] }));
            }

            var page = Page(rows, show.Limit, show.Offset);
            if (page.Count > 0)
            {
                series.Add(new Series(table.Name, null, ["key", "value"], page));
            }
        }

        return series;
    }

    public Task<IReadOnlyList<Series>> FieldKeysAsync(string database, ShowFieldKeysStatement show)
    {
        var series = new List<Series>();
        foreach (var table in Sources(database, show.Sources))
        {
            var fields = table.Columns.Where(c => c.Type is not (ColumnType.Tag or ColumnType.Time)).OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new object?[] { c.Name, FieldType(c.Type) }).ToList();
            var page = Page(fields, show.Limit, show.Offset);
            if (page.Count > 0)
            {
                series.Add(new Series(table.Name, null, ["fieldKey", "fieldType"], page));
            }
        }

        return Task.FromResult<IReadOnlyList<Series>>(series);
    }

    public async Task<IReadOnlyList<Series>> SeriesAsync(string database, ShowSeriesStatement show, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var table in Sources(database, show.Sources))
        {
            var tags = Tags(table).ToList();
            var conditions = new Conditions(table, now).Sql(show.Condition);
            if (tags.Count == 0)
            {
                if (show.Condition is null || await AnyAsync(database, table, show.Condition, cancellationToken))
                {
                    keys.Add(Escaped(table.Name, measurement: true));
                }

                continue;
            }

            var sql = $"SELECT DISTINCT {string.Join(", ", tags.Select(SqlText.Identifier))} FROM {SqlText.Identifier(table.Name)}{(conditions is null ? string.Empty : " WHERE " + conditions)}";
            var result = await queries.QueryAsync(database, sql, NoParameters, cancellationToken);
            foreach (var row in result.Rows)
            {
                var key = new StringBuilder(Escaped(table.Name, measurement: true));
                for (var i = 0; i < tags.Count; i++)
                {
                    if (row[i] is string value && value.Length > 0)
                    {
                        key.Append(',').Append(Escaped(tags[i], measurement: false)).Append('=').Append(Escaped(value, measurement: false));
                    }
                }

                keys.Add(key.ToString());
            }
        }

        keys.Sort(StringComparer.Ordinal);
        var page = Page([.. keys.Select(k => new object?[] { k })], show.Limit, show.Offset);
        return page.Count == 0 ? [] : [new Series(null, null, ["key"], page)];
    }

    /// <summary>The database a statement reads (<c>ON db</c>, else the request's <c>db</c>).</summary>
    public DatabaseDefinition Database(string database) =>
        catalog.FindReadable(database) ?? throw InfluxQlErrors.Invalid($"database not found: {database}");

    /// <summary>The measurements a FROM names (all when it is empty), in name order.</summary>
    public IEnumerable<TableDefinition> Sources(string database, IReadOnlyList<Source> sources)
    {
        var tables = Database(database).Tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal);
        if (sources.Count == 0)
        {
            return tables;
        }

        var chosen = sources.OfType<MeasurementSource>().ToList();
        var regexes = chosen.Where(s => s.Regex is not null).Select(s => Regex(s.Regex!)).ToList();
        return tables.Where(t => chosen.Any(s => s.Name == t.Name) || regexes.Any(r => r.IsMatch(t.Name)));
    }

    private async Task<bool> AnyAsync(string database, TableDefinition table, Expr condition, CancellationToken cancellationToken)
    {
        var sql = $"SELECT 1 AS found FROM {SqlText.Identifier(table.Name)} WHERE {new Conditions(table, now).Sql(condition)} LIMIT 1";
        return (await queries.QueryAsync(database, sql, NoParameters, cancellationToken)).Rows.Count > 0;
    }

    private static IEnumerable<string> Tags(TableDefinition table) =>
        table.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => c.Name).Order(StringComparer.Ordinal);

    private static string FieldType(ColumnType type) => type switch
    {
        ColumnType.Float => "float",
        ColumnType.Integer => "integer",
        ColumnType.UInteger => "unsigned",
        ColumnType.String => "string",
        _ => "boolean",
    };

    private static List<object?[]> Page(List<object?[]> rows, long? limit, long? offset)
    {
        var skipped = rows.Skip((int)Math.Min(offset ?? 0, int.MaxValue));
        return [.. limit is { } l and > 0 ? skipped.Take((int)Math.Min(l, int.MaxValue)) : skipped];
    }

    /// <summary>A measurement, tag key or tag value escaped as in a series key (line protocol's rules).</summary>
    private static string Escaped(string text, bool measurement)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is ',' or ' ' || (!measurement && c == '='))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    internal static Regex Regex(string pattern) => new(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}

using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// Writes points that may already exist (their series has a point at or after their time) by merging
/// them into storage: they are appended to a temporary table with their order in the group, reduced to
/// one row per point (a later write wins field by field, fields it leaves out keep the earlier value),
/// and merged in one <c>MERGE INTO</c>: matching rows get the named fields, the others are inserted.
/// In place, the scan of the stored table is limited to the time range of the staged points, so DuckDB
/// skips every row group outside it by its min/max: the cost follows the data near the rewritten points,
/// not the table's size. Points spread over the table's history would make that range span it all; they
/// go to the table's <see cref="RewriteLog"/> instead. Runs on the
/// writer connection, inside the group's transaction.
/// </summary>
internal sealed class PointMerger(DuckDBConnection connection, RewriteLog rewrites)
{
    private const string Stage = "__merged_points";
    internal const string Sequence = "__sequence";
    private long _from;
    private long _to;

    /// <summary>The first and last stored time of each series of <paramref name="table"/>, its rewrite log included.</summary>
    public Dictionary<ulong, SeriesCover> LoadCovers(TableDefinition table)
    {
        var tags = table.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => c.Name).ToList();
        var keys = string.Join(", ", tags.Select(SqlNames.Quote));
        using var command = connection.CreateCommand();
        var columns = string.Join(", ", tags.Select(SqlNames.Quote).Prepend("time"));
        var source = rewrites.Keys(table.Name, columns) is { } logged
            ? $"(SELECT {columns} FROM {StoreName(table)} UNION ALL {logged})"
            : StoreName(table);
        command.CommandText = tags.Count == 0
            ? $"SELECT epoch_ns(min(time)), epoch_ns(max(time)) FROM {source} HAVING count(*) > 0"
            : $"SELECT {keys}, epoch_ns(min(time)), epoch_ns(max(time)) FROM {source} GROUP BY {keys}";
        var covers = new Dictionary<ulong, SeriesCover>();
        using var reader = command.ExecuteReader();
        var set = new List<Tag>(tags.Count);
        while (reader.Read())
        {
            set.Clear();
            for (var t = 0; t < tags.Count; t++)
            {
                if (!reader.IsDBNull(t))
                {
                    set.Add(new Tag(tags[t], reader.GetString(t)));
                }
            }

            var series = SeriesKey.Hash(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(set));
            var (from, to) = (reader.GetInt64(tags.Count), reader.GetInt64(tags.Count + 1));
            if (covers.TryGetValue(series, out var shared))
            {
                shared.Widen(from, to);
            }
            else
            {
                covers[series] = new SeriesCover(from, to);
            }
        }

        return covers;
    }

    /// <summary>Merges <paramref name="points"/> (in write order) into <paramref name="schema"/>'s stored table, scanning only their time range.</summary>
    public void Merge(TableDefinition schema, List<(LineProtocolBatch Batch, int Index)> points)
    {
        Collect(points);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = StageDefinition(schema);
            command.ExecuteNonQuery();
        }

        Append(new ChunkAppender(connection, null, Stage), schema, points, 0);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = MergeStatement(schema, StoreName(schema), Reduced(schema, $"temp.{Stage}"), Window());
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Appends <paramref name="points"/> (in write order) to <paramref name="schema"/>'s rewrite log, numbered from <paramref name="sequence"/>.</summary>
    public void Log(TableDefinition schema, List<(LineProtocolBatch Batch, int Index)> points, long sequence) =>
        Append(new ChunkAppender(connection, SqlNames.RewriteSchema, schema.Name), schema, points, sequence);

    private static void Append(ChunkAppender target, TableDefinition schema, List<(LineProtocolBatch Batch, int Index)> points, long sequence)
    {
        using var appender = target;
        var rows = new RowAppender(schema);
        for (var i = 0; i < points.Count; i++)
        {
            var (batch, index) = points[i];
            rows.Append(appender, batch, index, sequence + i);
        }

        appender.Close();
    }

    /// <summary>How many stored rows lie in the time range of the points last collected: what merging them in place would scan.</summary>
    public long RowsNear(TableDefinition schema)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {StoreName(schema)} AS stored WHERE {Window()}";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The time range of <paramref name="points"/>, which <see cref="RowsNear"/> and <see cref="Merge"/> look in.</summary>
    public void Collect(List<(LineProtocolBatch Batch, int Index)> points)
    {
        (_from, _to) = (long.MaxValue, long.MinValue);
        foreach (var (batch, index) in points)
        {
            var time = batch.Points[index].TimeNanoseconds;
            (_from, _to) = (Math.Min(_from, time), Math.Max(_to, time));
        }
    }

    private static string StageDefinition(TableDefinition schema)
    {
        var sql = new StringBuilder($"CREATE OR REPLACE TEMP TABLE {Stage} ({Sequence} BIGINT, time {SchemaSynchronizer.TimeType}");
        foreach (var column in schema.Columns)
        {
            sql.Append(CultureInfo.InvariantCulture, $", {SqlNames.Quote(column.Name)} {SchemaSynchronizer.StorageType(column.Type)}");
        }

        return sql.Append(')').ToString();
    }

    /// <summary>The points of <paramref name="source"/> (rows numbered in write order), one row per point: the last value written of each field.</summary>
    internal static string Reduced(TableDefinition schema, string source)
    {
        var keys = string.Join(", ", schema.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => SqlNames.Quote(c.Name)).Prepend("time"));
        var reduced = schema.Columns.Where(c => c.Type != ColumnType.Tag).Select(c => SqlNames.Quote(c.Name))
            .Select(f => $"arg_max({f}, {Sequence}) FILTER (WHERE {f} IS NOT NULL) AS {f}");
        return $"(SELECT {string.Join(", ", reduced.Prepend(keys))} FROM {source} GROUP BY {keys})";
    }

    /// <summary>
    /// Merges the points of <paramref name="written"/> (one row per point) into <paramref name="into"/>:
    /// a point there gets the fields written, the others are inserted. <paramref name="window"/> limits
    /// the scan of <paramref name="into"/>.
    /// </summary>
    internal static string MergeStatement(TableDefinition schema, string into, string written, string? window)
    {
        var fields = schema.Columns.Where(c => c.Type != ColumnType.Tag).Select(c => SqlNames.Quote(c.Name)).ToList();
        var all = schema.Columns.Select(c => SqlNames.Quote(c.Name)).Prepend("time").ToList();
        var update = fields.Count == 0
            ? "WHEN MATCHED THEN DO NOTHING"
            : $"WHEN MATCHED THEN UPDATE SET {string.Join(", ", fields.Select(f => $"{f} = coalesce(written.{f}, stored.{f})"))}";
        return $"""
            MERGE INTO {into} AS stored
            USING {written} AS written
            ON {Match(schema, "stored", "written")}{(window is null ? "" : $" AND ({window})")}
            {update}
            WHEN NOT MATCHED THEN INSERT ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "written." + c))})
            """;
    }

    /// <summary>The join condition of one point in <paramref name="left"/> and <paramref name="right"/>: same time, same tag set.</summary>
    internal static string Match(TableDefinition schema, string left, string right) =>
        string.Join(" AND ", schema.Columns.Where(c => c.Type == ColumnType.Tag)
            .Select(c => $"{left}.{SqlNames.Quote(c.Name)} IS NOT DISTINCT FROM {right}.{SqlNames.Quote(c.Name)}")
            .Prepend($"{left}.time = {right}.time"));

    /// <summary>
    /// The time range of the points last staged. One range, not several: DuckDB skips row groups by a
    /// plain range on <c>time</c>, while an OR of ranges is evaluated on every row of a full scan.
    /// </summary>
    private string Window() => Window(_from, _to);

    internal static string Window(long from, long to) => $"stored.time BETWEEN make_timestamp_ns({from}) AND make_timestamp_ns({to})";

    private static string StoreName(TableDefinition table) => $"{SqlNames.StoreSchema}.{SqlNames.Quote(table.Name)}";
}

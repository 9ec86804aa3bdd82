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
/// The scan of the stored table is limited to a few time ranges around the staged points, so DuckDB
/// skips every row group outside them by its min/max: the cost follows the data near the rewritten
/// points, not the table's size. Runs on the writer connection, inside the group's transaction.
/// </summary>
internal sealed class PointMerger(DuckDBConnection connection)
{
    private const string Stage = "__merged_points";
    private const string Sequence = "__sequence";
    private const int MaxRanges = 16;
    private readonly List<long> _times = [];

    /// <summary>The first and last stored time of each series of <paramref name="table"/>.</summary>
    public Dictionary<ulong, SeriesCover> LoadCovers(TableDefinition table)
    {
        var tags = table.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => c.Name).ToList();
        var keys = string.Join(", ", tags.Select(SqlNames.Quote));
        using var command = connection.CreateCommand();
        command.CommandText = tags.Count == 0
            ? $"SELECT epoch_ns(min(time)), epoch_ns(max(time)) FROM {StoreName(table)} HAVING count(*) > 0"
            : $"SELECT {keys}, epoch_ns(min(time)), epoch_ns(max(time)) FROM {StoreName(table)} GROUP BY {keys}";
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

    /// <summary>Merges <paramref name="points"/> (in write order) into <paramref name="schema"/>'s stored table.</summary>
    public void Merge(TableDefinition schema, List<(LineProtocolBatch Batch, int Index)> points)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = StageDefinition(schema);
            command.ExecuteNonQuery();
        }

        _times.Clear();
        using (var appender = new ChunkAppender(connection, null, Stage))
        {
            var rows = new RowAppender(schema);
            for (var i = 0; i < points.Count; i++)
            {
                var (batch, index) = points[i];
                rows.Append(appender, batch, index, i);
                _times.Add(batch.Points[index].TimeNanoseconds);
            }

            appender.Close();
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = MergeStatement(schema, Ranges(_times));
            command.ExecuteNonQuery();
        }
    }

    private static string StageDefinition(TableDefinition schema)
    {
        var sql = new StringBuilder($"CREATE OR REPLACE TEMP TABLE {Stage} (time {SchemaSynchronizer.TimeType}");
        foreach (var column in schema.Columns)
        {
            sql.Append($", {SqlNames.Quote(column.Name)} {SchemaSynchronizer.StorageType(column.Type)}");
        }

        return sql.Append($", {Sequence} BIGINT)").ToString();
    }

    private static string MergeStatement(TableDefinition schema, IEnumerable<(long From, long To)> ranges)
    {
        var tags = schema.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => SqlNames.Quote(c.Name)).ToList();
        var fields = schema.Columns.Where(c => c.Type != ColumnType.Tag).Select(c => SqlNames.Quote(c.Name)).ToList();
        var keys = string.Join(", ", tags.Prepend("time"));
        var reduced = fields.Select(f => $"arg_max({f}, {Sequence}) FILTER (WHERE {f} IS NOT NULL) AS {f}");
        var matches = tags.Select(t => $"stored.{t} IS NOT DISTINCT FROM written.{t}").Prepend("stored.time = written.time");
        var window = string.Join(" OR ", ranges.Select(r => $"stored.time BETWEEN make_timestamp_ns({r.From}) AND make_timestamp_ns({r.To})"));
        var all = schema.Columns.Select(c => SqlNames.Quote(c.Name)).Prepend("time").ToList();
        return $"""
            MERGE INTO {StoreName(schema)} AS stored
            USING (SELECT {string.Join(", ", tags.Prepend("time").Concat(reduced))} FROM temp.{Stage} GROUP BY {keys}) AS written
            ON {string.Join(" AND ", matches)} AND ({window})
            WHEN MATCHED THEN UPDATE SET {string.Join(", ", fields.Select(f => $"{f} = coalesce(written.{f}, stored.{f})"))}
            WHEN NOT MATCHED THEN INSERT ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select(c => "written." + c))})
            """;
    }

    /// <summary>At most <see cref="MaxRanges"/> time ranges covering <paramref name="times"/>, split at the widest gaps.</summary>
    internal static List<(long From, long To)> Ranges(List<long> times)
    {
        times.Sort();
        var splits = Enumerable.Range(1, times.Count - 1)
            .Where(i => times[i] != times[i - 1])
            .OrderByDescending(i => (ulong)(times[i] - times[i - 1]))
            .Take(MaxRanges - 1)
            .Order()
            .ToList();
        var ranges = new List<(long, long)>(splits.Count + 1);
        var start = 0;
        foreach (var split in splits.Append(times.Count))
        {
            ranges.Add((times[start], times[split - 1]));
            start = split;
        }

        return ranges;
    }

    private static string StoreName(TableDefinition table) => $"{SqlNames.StoreSchema}.{SqlNames.Quote(table.Name)}";
}

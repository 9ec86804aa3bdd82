using System.Text;
using DuckDB.NET.Data;
using Scripting.Core.Catalog;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// Rewrites of points spread over a table's history, kept beside the table until they are compacted
/// into it. Merging a few hundred points scattered over ten million rows in place scans every row
/// group; doing that per group commit would cost a full scan per commit. Instead such points are merged
/// appended to a small log table of the same shape, numbered in write order (durable in the group's
/// transaction), and the table's view reads through it: the log reduced to one row per point (a later
/// write winning field by field), stored rows it does not hold, and its rows over their stored fields. Once the log holds <see cref="CompactAt"/>
/// rows, or its database has had no write for a second, one <c>MERGE INTO</c> folds it into the table
/// and the view reads the table alone again: one scan per compaction instead of one per commit.
/// Owned by the writer connection.
/// </summary>
internal sealed class RewriteLog(DuckDBConnection connection)
{
    /// <summary>The log holds this many rows at most before it is compacted after a commit.</summary>
    internal const int CompactAt = 131_072;

    // Rows in each table's log; a table has a log table once it appears here.
    private readonly Dictionary<string, long> _rows = new(StringComparer.Ordinal);

    // The number the next logged row gets: past every row any log holds.
    private long _sequence;

    public void Initialize()
    {
        Execute($"CREATE SCHEMA IF NOT EXISTS {SqlNames.RewriteSchema}");
        Reload();
    }

    /// <summary>Reads each log's row count from storage (at open, and after a commit failed).</summary>
    public void Reload()
    {
        _rows.Clear();
        _sequence = 0;
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{SqlNames.RewriteSchema}'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*), coalesce(max({PointMerger.Sequence}), -1) FROM {LogName(table)}";
            using var reader = count.ExecuteReader();
            reader.Read();
            _rows[table] = reader.GetInt64(0);
            _sequence = Math.Max(_sequence, reader.GetInt64(1) + 1);
        }
    }

    public bool Exists(string table) => _rows.ContainsKey(table);

    public long Pending(string table) => _rows.GetValueOrDefault(table);

    public IReadOnlyList<string> PendingTables => _rows.Where(r => r.Value > 0).Select(r => r.Key).ToList();

    /// <summary>Creates <paramref name="stored"/>'s log table, with the columns storage has, unless it exists.</summary>
    public void Create(TableDefinition stored)
    {
        if (Exists(stored.Name))
        {
            return;
        }

        Execute($"CREATE TABLE {LogName(stored.Name)} AS SELECT CAST(NULL AS BIGINT) AS {PointMerger.Sequence}, * FROM {StoreName(stored.Name)} LIMIT 0");
        _rows[stored.Name] = 0;
    }

    /// <summary>Reserves numbers for <paramref name="count"/> rows about to be appended to <paramref name="table"/>'s log; returns the first.</summary>
    public long Reserve(string table, int count)
    {
        _rows[table] = Pending(table) + count;
        var first = _sequence;
        _sequence += count;
        return first;
    }

    /// <summary>Folds <paramref name="stored"/>'s log into the table, inside the caller's transaction.</summary>
    public void Compact(TableDefinition stored)
    {
        var log = LogName(stored.Name);
        string window;
        using (var range = connection.CreateCommand())
        {
            // Rewrites of recent points scan only the recent row groups.
            range.CommandText = $"SELECT epoch_ns(min(time)), epoch_ns(max(time)) FROM {log}";
            using var reader = range.ExecuteReader();
            reader.Read();
            window = PointMerger.Window(reader.GetInt64(0), reader.GetInt64(1));
        }

        Execute($"""
            {PointMerger.MergeStatement(stored, StoreName(stored.Name), PointMerger.Reduced(stored, log), window)};
            DELETE FROM {log};
            """);
        _rows[stored.Name] = 0;
    }

    /// <summary>What <paramref name="table"/>'s view selects from: the stored table, read through its log while the log holds rows.</summary>
    public string Source(TableDefinition table)
    {
        var stored = StoreName(table.Name);
        if (Pending(table.Name) == 0)
        {
            return stored;
        }

        var log = PointMerger.Reduced(table, LogName(table.Name));
        var match = PointMerger.Match(table, "stored", "written");
        var columns = table.Columns.Select(c => SqlNames.Quote(c.Name)).Prepend("time").ToList();
        var merged = new StringBuilder("written.time");
        foreach (var column in table.Columns)
        {
            var name = SqlNames.Quote(column.Name);
            merged.Append(column.Type == ColumnType.Tag ? $", written.{name}" : $", coalesce(written.{name}, stored.{name}) AS {name}");
        }

        return $"""
            (SELECT {string.Join(", ", columns.Select(c => "stored." + c))} FROM {stored} AS stored ANTI JOIN {log} AS written ON {match}
             UNION ALL
             SELECT {merged} FROM {log} AS written LEFT JOIN {stored} AS stored ON {match})
            """;
    }

    /// <summary>The time and tag columns of every point the log holds, for the series index.</summary>
    public string? Keys(string table, string keys) => Exists(table) ? $"SELECT {keys} FROM {LogName(table)}" : null;

    public static string LogName(string table) => $"{SqlNames.RewriteSchema}.{SqlNames.Quote(table)}";

    private static string StoreName(string table) => $"{SqlNames.StoreSchema}.{SqlNames.Quote(table)}";

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using Microsoft.Extensions.Logging;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;

namespace Scripting.Storage.DuckDb;

internal sealed partial class DatabaseStore
{
    // Merging in place scans the stored rows in the points' time range; up to this many per point (a pass
    // rewriting a run of points), or this many in all, that is cheaper than logging them and compacting later.
    private const int InPlaceRowsPerPoint = 16;
    private const int InPlaceRows = 16_384;

    private void Commit(List<PendingWrite> group)
    {
        // Each table is written once per group with the newest schema storage has; rows checked
        // against an older schema just leave the newer columns null.
        var tables = new Dictionary<string, (TableDefinition Schema, List<(ValidatedWrite Write, TableWrite Rows)> Parts)>(StringComparer.Ordinal);
        foreach (var pending in group)
        {
            foreach (var table in pending.Write.Tables)
            {
                if (!tables.TryGetValue(table.Schema.Name, out var entry))
                {
                    entry = (table.Schema, []);
                }

                if (table.Schema.Columns.Count > entry.Schema.Columns.Count)
                {
                    entry.Schema = table.Schema;
                }

                entry.Parts.Add((pending.Write, table));
                tables[table.Schema.Name] = entry;
            }
        }

        foreach (var name in tables.Keys.ToList())
        {
            var entry = tables[name];
            tables[name] = (_schema.Ensure(entry.Schema), entry.Parts);
        }

        try
        {
            using var transaction = _writer.BeginTransaction();
            foreach (var (schema, parts) in tables.Values)
            {
                Write(schema, parts);
            }

            transaction.Commit();
        }
        catch
        {
            // The index may hold times of rows that were rolled back; it is rebuilt from storage, and so
            // are the rewrite logs' counts.
            _series.Clear();
            _rewrites.Reload();
            throw;
        }

        CompactRewrites(RewriteLog.CompactAt);
    }

    /// <summary>Folds each rewrite log holding at least <paramref name="atLeast"/> rows into its table, each in a transaction of its own.</summary>
    private void CompactRewrites(long atLeast)
    {
        foreach (var name in _rewrites.PendingTables)
        {
            if (_rewrites.Pending(name) < atLeast || _schema.Stored(name) is not { } stored)
            {
                continue;
            }

            try
            {
                using var transaction = _writer.BeginTransaction();
                _rewrites.Compact(stored);
                _schema.RefreshView(stored);
                transaction.Commit();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Nothing is lost: the log stays, the view keeps reading through it, and it is compacted later.
                _rewrites.Reload();
                _logger.LogWarning(error, "compacting the rewrites of table '{Table}' in '{Database}' failed; they stay in its rewrite log", name, Name);
            }
        }
    }

    /// <summary>
    /// Point identity: a point (table, tag set, time) written again keeps one row. Points outside their
    /// series' cover (<see cref="SeriesIndex"/>) cannot exist yet and are appended; the others are merged
    /// (<see cref="PointMerger"/>). Appending first is safe: no earlier point of the group can collide with
    /// an uncovered one (it would have been covered), and a later one that does is merged after it, so later
    /// writes still win.
    /// </summary>
    private void Write(TableDefinition schema, List<(ValidatedWrite Write, TableWrite Rows)> parts)
    {
        var covers = _series.Of(schema.Name, _ => _merger.LoadCovers(schema));
        var rows = new RowAppender(schema);
        List<(LineProtocolBatch, int)>? merged = null;
        using (var appender = new ChunkAppender(_writer, SqlNames.StoreSchema, schema.Name))
        {
            foreach (var (write, table) in parts)
            {
                var batch = write.Batch;
                foreach (var index in table.PointIndexes)
                {
                    var point = batch.Points[index];
                    if (SeriesIndex.Add(covers, point.Series, point.TimeNanoseconds))
                    {
                        rows.Append(appender, batch, index);
                    }
                    else
                    {
                        (merged ??= []).Add((batch, index));
                    }
                }
            }

            appender.Close();
        }

        if (merged is null)
        {
            return;
        }

        if (_rewrites.Pending(schema.Name) == 0 && !Spread(schema, merged))
        {
            _merger.Merge(schema, merged);
            return;
        }

        // Once a table's log holds rows, every merged point goes there: a point merged in place would
        // lose to an older write of it still in the log.
        var refresh = _rewrites.Pending(schema.Name) == 0;
        _rewrites.Create(schema);
        _merger.Log(schema, merged, _rewrites.Reserve(schema.Name, merged.Count));
        if (refresh)
        {
            _schema.RefreshView(schema);
        }
    }

    /// <summary>
    /// Whether merging <paramref name="merged"/> in place would scan many stored rows per point (points
    /// spread over the table's history), which the rewrite log does once per compaction instead.
    /// </summary>
    private bool Spread(TableDefinition schema, List<(LineProtocolBatch, int)> merged)
    {
        _merger.Collect(merged);
        return _merger.RowsNear(schema) > Math.Max(InPlaceRowsPerPoint * (long)merged.Count, InPlaceRows);
    }
}

using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;

namespace Scripting.Storage.DuckDb;

internal sealed partial class DatabaseStore
{
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
            // The index may hold times of rows that were rolled back; it is rebuilt from storage.
            _series.Clear();
            throw;
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

        if (merged is not null)
        {
            _merger.Merge(schema, merged);
        }
    }
}

using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;

namespace Scripting.Core.Writes;

/// <summary>
/// Checks parsed lines against the catalog: a column's kind and type are fixed by its first write,
/// new tables and columns are added as they appear. Most writes only touch known columns, so they are
/// checked against the current snapshot without a lock; a write that adds to the schema is checked
/// again under the catalog lock and the grown schema is persisted before any row is stored.
/// </summary>
public static class WriteValidator
{
    public static ValidatedWrite Validate(SchemaCatalog catalog, string database, LineProtocolBatch batch, bool acceptPartial)
    {
        var snapshot = catalog.GetOrCreateDatabase(database);
        var result = Check(snapshot, batch, acceptPartial, catalog.Limits, catalog.TableCount, out var grown);
        if (grown.Count == 0)
        {
            return result;
        }

        lock (catalog.Gate)
        {
            snapshot = catalog.Get(database);
            result = Check(snapshot, batch, acceptPartial, catalog.Limits, catalog.TableCount, out grown);
            if (grown.Count > 0)
            {
                catalog.ReplaceTables(snapshot, grown);
            }

            return result;
        }
    }

    /// <summary>Checks lines against a database's schema and the catalog's limits, and leaves the catalog as it is (dry runs).</summary>
    public static ValidatedWrite CheckOnly(SchemaCatalog catalog, string database, LineProtocolBatch batch, bool acceptPartial) =>
        Check(catalog.Find(database) ?? DatabaseDefinition.Empty(database), batch, acceptPartial, catalog.Limits, catalog.TableCount, out _);

    private static ValidatedWrite Check(DatabaseDefinition database, LineProtocolBatch batch, bool acceptPartial, SchemaLimits limits, int tableCount, out List<TableDefinition> grown)
    {
        var errors = new List<LineError>(batch.Errors);
        var working = new Dictionary<string, TableState>(StringComparer.Ordinal);
        var pending = new List<ColumnDefinition>();
        var created = 0;
        var points = batch.Points;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!working.TryGetValue(point.Measurement, out var state))
            {
                var tableError = CheckNewTable(database, working, point.Measurement, out state);
                var isNew = tableError is null && state!.Grown;
                if (isNew && tableCount + created >= limits.Tables)
                {
                    tableError = limits.TablesExceeded(tableCount + created);
                }

                if (tableError is not null)
                {
                    errors.Add(new LineError(point.LineNumber, tableError, batch.LineText(point)));
                    continue;
                }

                created += isNew ? 1 : 0;
                working[point.Measurement] = state!;
            }

            pending.Clear();
            var error = CheckLine(batch, point, state!.Schema, pending);
            if (error is null && pending.Count > 0 && state.Schema.Columns.Count + pending.Count > limits.ColumnsPerTable)
            {
                error = limits.ColumnsExceeded;
            }
            if (error is not null)
            {
                errors.Add(new LineError(point.LineNumber, error, batch.LineText(point)));
                continue;
            }

            if (pending.Count > 0)
            {
                state.Schema = state.Schema.With(pending);
                state.Grown = true;
            }

            state.Points.Add(i);
        }

        if (errors.Count > batch.Errors.Count)
        {
            errors.Sort((a, b) => a.LineNumber.CompareTo(b.LineNumber));
        }
        if (!acceptPartial && errors.Count > 0)
        {
            grown = [];
            return new ValidatedWrite(database.Name, batch, [], errors.Take(1).ToList());
        }

        grown = working.Values.Where(s => s.Grown && s.Points.Count > 0).Select(s => s.Schema).ToList();
        var tables = working.Values.Where(s => s.Points.Count > 0).Select(s => new TableWrite(s.Schema, s.Points)).ToList();
        return new ValidatedWrite(database.Name, batch, tables, errors);
    }

    private static string? CheckNewTable(DatabaseDefinition database, Dictionary<string, TableState> working, string name, out TableState? state)
    {
        state = null;
        if (database.Tables.TryGetValue(name, out var existing))
        {
            state = new TableState(existing, grown: false);
            return null;
        }

        var invalid = Names.ValidateIdentifier("table", name);
        if (invalid is not null)
        {
            return invalid;
        }

        var clash = database.Tables.Keys.Concat(working.Keys)
            .FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase));
        if (clash is not null)
        {
            return $"table '{name}' conflicts with existing table '{clash}': SQL table names are case-insensitive";
        }

        state = new TableState(new TableDefinition(name, []), grown: true);
        return null;
    }

    private static string? CheckLine(LineProtocolBatch batch, in Point point, TableDefinition schema, List<ColumnDefinition> pending)
    {
        var tags = batch.TagsOf(point);
        for (var t = 0; t < tags.Length; t++)
        {
            for (var u = 0; u < t; u++)
            {
                if (string.Equals(tags[u].Key, tags[t].Key, StringComparison.Ordinal))
                {
                    return $"tag '{tags[t].Key}' is given twice";
                }
            }

            var error = CheckColumn(schema, pending, tags[t].Key, ColumnType.Tag);
            if (error is not null)
            {
                return error;
            }
        }

        foreach (var field in batch.FieldsOf(point))
        {
            var error = CheckColumn(schema, pending, field.Key, ColumnTypes.FromField(field.Value.Kind));
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckColumn(TableDefinition schema, List<ColumnDefinition> pending, string name, ColumnType type)
    {
        var existing = schema.Find(name) ?? FindPending(pending, name, StringComparison.Ordinal);
        if (existing is not null)
        {
            return existing.Type == type
                ? null
                : $"invalid column type for column '{name}', expected {ColumnTypes.IoxName(existing.Type)}, got {ColumnTypes.IoxName(type)}";
        }

        if (string.Equals(name, "time", StringComparison.OrdinalIgnoreCase))
        {
            return $"invalid column type for column '{name}', expected {ColumnTypes.IoxName(ColumnType.Time)}, got {ColumnTypes.IoxName(type)}";
        }

        var clash = schema.FindCaseInsensitive(name) ?? FindPending(pending, name, StringComparison.OrdinalIgnoreCase);
        if (clash is not null)
        {
            return $"column '{name}' conflicts with existing column '{clash.Name}': SQL column names are case-insensitive";
        }

        var invalid = Names.ValidateIdentifier("column", name);
        if (invalid is not null)
        {
            return invalid;
        }

        pending.Add(new ColumnDefinition(name, type));
        return null;
    }

    private static ColumnDefinition? FindPending(List<ColumnDefinition> pending, string name, StringComparison comparison)
    {
        foreach (var column in pending)
        {
            if (string.Equals(column.Name, name, comparison))
            {
                return column;
            }
        }

        return null;
    }

    private sealed class TableState(TableDefinition schema, bool grown)
    {
        public TableDefinition Schema { get; set; } = schema;
        public bool Grown { get; set; } = grown;
        public List<int> Points { get; } = [];
    }
}

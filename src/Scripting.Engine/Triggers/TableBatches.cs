using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.PluginApi;

namespace Scripting.Engine.Triggers;

/// <summary>Committed rows as <c>table_batches</c>: per table, rows of tags, fields and <c>time</c> in nanoseconds.</summary>
internal static class TableBatches
{
    public static List<TableBatch> From(IReadOnlyList<ValidatedWrite> group, TriggerSpecification specification)
    {
        var tables = new Dictionary<string, RowList>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var write in group)
        {
            foreach (var table in write.Tables)
            {
                var name = table.Schema.Name;
                if (specification.Kind == TriggerKind.Table && !string.Equals(name, specification.Value, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!tables.TryGetValue(name, out var rows))
                {
                    tables[name] = rows = new RowList();
                    order.Add(name);
                }

                rows.Add(write, table);
            }
        }

        return order.Select(name => new TableBatch(name, tables[name])).ToList();
    }

    public static void Detach(List<TableBatch> batches)
    {
        foreach (var batch in batches)
        {
            ((RowList)batch.Rows).Detach();
        }
    }

    /// <summary>
    /// The rows of one table, built into dictionaries only when the plugin reads them: a plugin that
    /// looks at a few rows, or none, does not pay for the whole batch.
    /// </summary>
    private sealed class RowList : IReadOnlyList<IReadOnlyDictionary<string, object?>>
    {
        private readonly List<(ValidatedWrite Write, TableWrite Table, int Start)> _segments = [];
        private IReadOnlyDictionary<string, object?>?[]? _rows;
        private bool _detached;

        public int Count { get; private set; }

        /// <summary>Rows read during the run stay readable; others can no longer be built once the batch is reused.</summary>
        public void Detach() => _detached = true;

        public void Add(ValidatedWrite write, TableWrite table)
        {
            _segments.Add((write, table, Count));
            Count += table.PointIndexes.Count;
        }

        public IReadOnlyDictionary<string, object?> this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                _rows ??= new IReadOnlyDictionary<string, object?>?[Count];
                if (_rows[index] is null && _detached)
                {
                    throw new InvalidOperationException("rows of table_batches can be read only during the run that received them; copy them (for example with ToList()) to keep them");
                }

                return _rows[index] ??= Build(index);
            }
        }

        public IEnumerator<IReadOnlyDictionary<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private Dictionary<string, object?> Build(int index)
        {
            var segment = _segments[^1];
            for (var s = 1; s < _segments.Count; s++)
            {
                if (_segments[s].Start > index)
                {
                    segment = _segments[s - 1];
                    break;
                }
            }

            var batch = segment.Write.Batch;
            var point = batch.Points[segment.Table.PointIndexes[index - segment.Start]];
            var row = new Dictionary<string, object?>(point.TagCount + point.FieldCount + 1, StringComparer.Ordinal);
            foreach (var tag in batch.TagsOf(point))
            {
                row[tag.Key] = tag.Value;
            }

            foreach (var field in batch.FieldsOf(point))
            {
                row[field.Key] = field.Value.ToObject();
            }

            row["time"] = point.TimeNanoseconds;
            return row;
        }
    }
}

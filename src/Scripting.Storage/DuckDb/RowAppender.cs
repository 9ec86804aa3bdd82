using DuckDB.NET.Data;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;

namespace Scripting.Storage.DuckDb;

/// <summary>Appends points as rows in storage column order: time, then the table's columns.</summary>
internal sealed class RowAppender(TableDefinition schema)
{
    private const int None = int.MinValue;
    private readonly int[] _sources = new int[schema.Columns.Count];

    public void Append(DuckDBAppender appender, LineProtocolBatch batch, List<int> pointIndexes)
    {
        var columns = schema.Columns;
        foreach (var index in pointIndexes)
        {
            var point = batch.Points[index];
            var tags = batch.TagsOf(point);
            var fields = batch.FieldsOf(point);
            Array.Fill(_sources, None);
            for (var t = 0; t < tags.Length; t++)
            {
                _sources[schema.IndexOf(tags[t].Key)] = t;
            }

            for (var f = 0; f < fields.Length; f++)
            {
                _sources[schema.IndexOf(fields[f].Key)] = -1 - f;
            }

            var row = appender.CreateRow();
            row.AppendValue((long?)point.TimeNanoseconds);
            for (var c = 0; c < columns.Count; c++)
            {
                var source = _sources[c];
                if (source == None)
                {
                    row.AppendNullValue();
                }
                else if (source >= 0)
                {
                    row.AppendValue(tags[source].Value);
                }
                else
                {
                    var value = fields[-1 - source].Value;
                    _ = value.Kind switch
                    {
                        FieldKind.Float => row.AppendValue((double?)value.AsFloat),
                        FieldKind.Integer => row.AppendValue((long?)value.AsInteger),
                        FieldKind.UInteger => row.AppendValue((ulong?)value.AsUInteger),
                        FieldKind.String => row.AppendValue(value.AsString),
                        _ => row.AppendValue((bool?)value.AsBoolean),
                    };
                }
            }

            row.EndRow();
        }
    }
}

using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// Appends points as rows in storage column order: time, then the table's columns; rows that keep their
/// order (staged or logged rewrites) start with a sequence number.
/// </summary>
internal sealed class RowAppender(TableDefinition schema)
{
    private const int None = int.MinValue;
    private readonly int[] _sources = new int[schema.Columns.Count];

    public void Append(ChunkAppender appender, LineProtocolBatch batch, int index, long? sequence = null)
    {
        var columns = schema.Columns;
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

        var first = 0;
        if (sequence is { } order)
        {
            appender.SetInt64(0, order);
            first = 1;
        }

        appender.SetInt64(first, point.TimeNanoseconds);
        for (var i = 0; i < columns.Count; i++)
        {
            var source = _sources[i];
            var c = i + first;
            if (source == None)
            {
                appender.SetNull(c + 1);
            }
            else if (source >= 0)
            {
                appender.SetString(c + 1, tags[source].Value);
            }
            else
            {
                var value = fields[-1 - source].Value;
                switch (value.Kind)
                {
                    case FieldKind.Float: appender.SetDouble(c + 1, value.AsFloat); break;
                    case FieldKind.Integer: appender.SetInt64(c + 1, value.AsInteger); break;
                    case FieldKind.UInteger: appender.SetUInt64(c + 1, value.AsUInteger); break;
                    case FieldKind.String: appender.SetString(c + 1, value.AsString); break;
                    default: appender.SetBoolean(c + 1, value.AsBoolean); break;
                }
            }
        }

        appender.EndRow();
    }
}

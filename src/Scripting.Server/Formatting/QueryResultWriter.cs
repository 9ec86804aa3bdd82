using System.Buffers;
using System.Text;
using System.Text.Json;
using Scripting.Core.Errors;
using Scripting.Core.Queries;
using Scripting.Query;
using Scripting.Query.Results;

namespace Scripting.Server.Formatting;

/// <summary>
/// Renders results in the formats of InfluxDB 3's query API. A query's rows are written batch by batch as
/// the store produces them, so the first bytes leave at once and memory holds a batch, not the result;
/// only pretty, which sizes its columns from every row, gathers its rows first (up to a limit).
/// </summary>
internal static class QueryResultWriter
{
    /// <summary>Flushes once this much is buffered, so a slow producer's rows still leave in time.</summary>
    private const int FlushBytes = 64 * 1024;

    public static Task WriteAsync(QueryResult result, ResultFormat format, Stream destination, CancellationToken cancellationToken) =>
        WriteAsync(result.Columns, One(result.Rows), format, int.MaxValue, destination, cancellationToken);

    public static Task WriteAsync(QueryCursor cursor, ResultFormat format, int prettyRowLimit, Stream destination, CancellationToken cancellationToken) =>
        WriteAsync(cursor.Columns, Batches(cursor), format, prettyRowLimit, destination, cancellationToken);

    /// <summary>Renders Arrow batches from elsewhere (a Flight stream) as the query API renders its results.</summary>
    public static Task WriteAsync(Apache.Arrow.Schema schema, IAsyncEnumerable<Apache.Arrow.RecordBatch> batches, ResultFormat format, Stream destination, CancellationToken cancellationToken) =>
        WriteAsync(ArrowValues.Columns(schema), Rows(batches), format, int.MaxValue, destination, cancellationToken);

    private static async IAsyncEnumerable<IReadOnlyList<object?[]>> Rows(IAsyncEnumerable<Apache.Arrow.RecordBatch> batches)
    {
        await foreach (var batch in batches)
        {
            yield return ToRows(batch);
        }
    }

#pragma warning disable CS1998 // An iterator over rows already in memory has nothing to await.
    private static async IAsyncEnumerable<IReadOnlyList<object?[]>> One(IReadOnlyList<object?[]> rows)
    {
        yield return rows;
    }
#pragma warning restore CS1998

    private static async IAsyncEnumerable<IReadOnlyList<object?[]>> Batches(QueryCursor cursor)
    {
        while (await cursor.ReadNextAsync() is { } batch)
        {
            using (batch)
            {
                yield return ToRows(batch);
            }
        }
    }

    private static object?[][] ToRows(Apache.Arrow.RecordBatch batch)
    {
        var rows = new object?[batch.Length][];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r] = new object?[batch.ColumnCount];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = ArrowValues.Get(batch.Column(c), r);
            }
        }

        return rows;
    }

    private static async Task WriteAsync(IReadOnlyList<QueryColumn> columns, IAsyncEnumerable<IReadOnlyList<object?[]>> batches, ResultFormat format, int prettyRowLimit,
        Stream destination, CancellationToken cancellationToken)
    {
        if (format == ResultFormat.Pretty)
        {
            var rows = new List<object?[]>();
            await foreach (var batch in batches)
            {
                rows.AddRange(batch);
                if (rows.Count > prettyRowLimit)
                {
                    throw new ScriptingException(ErrorKind.BadRequest,
                        $"the pretty format lays out at most {prettyRowLimit} rows and this result has more: add a LIMIT, or use jsonl, csv or parquet, which stream");
                }
            }

            await destination.WriteAsync(Encoding.UTF8.GetBytes(Pretty(new QueryResult(columns, rows))), cancellationToken);
            await destination.FlushAsync(cancellationToken);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        var rowWriter = format switch
        {
            ResultFormat.Json => new JsonRows(buffer, lines: false),
            ResultFormat.JsonLines => new JsonRows(buffer, lines: true),
            ResultFormat.Csv => (IRowWriter)new CsvRows(buffer, columns),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "parquet is written by the store"),
        };

        using var disposeWriter = rowWriter;
        rowWriter.Start();
        await foreach (var batch in batches)
        {
            foreach (var row in batch)
            {
                rowWriter.Row(columns, row);
                if (buffer.WrittenCount >= FlushBytes)
                {
                    await SendAsync(buffer, destination, cancellationToken);
                }
            }

            // Whatever a batch produced leaves before the next batch is computed.
            await SendAsync(buffer, destination, cancellationToken);
        }

        rowWriter.End();
        await SendAsync(buffer, destination, cancellationToken);
    }

    private static async Task SendAsync(ArrayBufferWriter<byte> buffer, Stream destination, CancellationToken cancellationToken)
    {
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await destination.FlushAsync(cancellationToken);
        buffer.ResetWrittenCount();
    }

    private interface IRowWriter : IDisposable
    {
        void Start();

        void Row(IReadOnlyList<QueryColumn> columns, object?[] row);

        void End();
    }

    /// <summary>JSON objects per row; null columns are left out, as InfluxDB 3 does.</summary>
    private sealed class JsonRows(IBufferWriter<byte> buffer, bool lines) : IRowWriter
    {
        private readonly Utf8JsonWriter _writer = new(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = lines });

        public void Start()
        {
            if (!lines)
            {
                _writer.WriteStartArray();
                _writer.Flush();
            }
        }

        public void Row(IReadOnlyList<QueryColumn> columns, object?[] row)
        {
            _writer.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    continue;
                }

                _writer.WritePropertyName(columns[i].Name);
                if (columns[i].TimeZone is { } zone && row[i] is long instant)
                {
                    _writer.WriteStringValue(ValueText.Timestamp(instant, zone));
                }
                else
                {
                    WriteJsonValue(_writer, row[i]!, columns[i].Type);
                }
            }

            _writer.WriteEndObject();
            _writer.Flush();
            if (lines)
            {
                // Each line is a separate JSON document; reset so no separator is written between them.
                buffer.Write("\n"u8);
                _writer.Reset(buffer);
            }
        }

        public void End()
        {
            if (!lines)
            {
                _writer.WriteEndArray();
            }

            _writer.Flush();
        }

        public void Dispose() => _writer.Dispose();
    }

    private sealed class CsvRows(IBufferWriter<byte> buffer, IReadOnlyList<QueryColumn> columns) : IRowWriter
    {
        private readonly StringBuilder _line = new();

        public void Start() => Emit(string.Join(',', columns.Select(c => CsvField(c.Name))));

        public void Row(IReadOnlyList<QueryColumn> columns, object?[] row)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    _line.Append(',');
                }

                _line.Append(CsvField(ValueText.Format(row[i], columns[i])));
            }

            Emit(null);
        }

        public void End()
        {
        }

        public void Dispose()
        {
        }

        private void Emit(string? text)
        {
            if (text is not null)
            {
                _line.Append(text);
            }

            _line.Append('\n');
            var chunk = _line.ToString();
            var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            buffer.Advance(Encoding.UTF8.GetBytes(chunk, span));
            _line.Clear();
        }
    }

    private static void WriteJsonValue(Utf8JsonWriter writer, object value, QueryColumnType type)
    {
        switch (value)
        {
            case long ns when type == QueryColumnType.Timestamp: writer.WriteStringValue(ValueText.Timestamp(ns)); break;
            case long ns when type == QueryColumnType.Duration: writer.WriteStringValue(ValueText.Duration(ns)); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case double d when double.IsFinite(d): writer.WriteRawValue(ValueText.Float(d)); break;
            case double: writer.WriteNullValue(); break;
            case float f when float.IsFinite(f): writer.WriteRawValue(ValueText.Float(f)); break;
            case float: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case ListCollection list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJsonItem(writer, item, list.ItemType);
                }

                writer.WriteEndArray();
                break;
            case StructDictionary fields:
                writer.WriteStartObject();
                foreach (var (name, item, itemType) in fields.Fields)
                {
                    // A field that is NULL is left out, as a NULL column is.
                    if (item is not null)
                    {
                        writer.WritePropertyName(name);
                        WriteJsonValue(writer, item, itemType);
                    }
                }

                writer.WriteEndObject();
                break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static void WriteJsonItem(Utf8JsonWriter writer, object? item, QueryColumnType type)
    {
        if (item is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteJsonValue(writer, item, type);
        }
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>An ASCII table like Arrow's pretty printer.</summary>
    public static string Pretty(QueryResult result)
    {
        var cells = result.Rows.Select(r => r.Select((v, i) => ValueText.Format(v, result.Columns[i])).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Max(c.Name.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var border = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+\n";
        var text = new StringBuilder(border);
        text.Append(Line(result.Columns.Select(c => c.Name).ToArray(), widths)).Append(border);
        foreach (var row in cells)
        {
            text.Append(Line(row, widths));
        }

        if (cells.Count > 0)
        {
            text.Append(border);
        }

        return text.ToString();
    }

    private static string Line(string[] values, int[] widths) =>
        "|" + string.Concat(values.Select((v, i) => " " + v.PadRight(widths[i]) + " |")) + "\n";
}

using System.Text;
using System.Text.Json;
using Scripting.Core.Queries;

namespace Scripting.Server.Formatting;

/// <summary>Renders a query result in the formats of InfluxDB 3's query API.</summary>
public static class QueryResultWriter
{
    public static async Task WriteAsync(QueryResult result, ResultFormat format, Stream destination, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case ResultFormat.Json:
            case ResultFormat.JsonLines:
                using (var buffer = new MemoryStream())
                {
                    WriteJson(result, format == ResultFormat.JsonLines, buffer);
                    buffer.Position = 0;
                    await buffer.CopyToAsync(destination, cancellationToken);
                }

                break;
            case ResultFormat.Csv:
                await WriteTextAsync(Csv(result), destination, cancellationToken);
                break;
            case ResultFormat.Pretty:
                await WriteTextAsync(Pretty(result), destination, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "parquet is written by the store");
        }

        await destination.FlushAsync(cancellationToken);
    }

    private static Task WriteTextAsync(string text, Stream destination, CancellationToken cancellationToken) =>
        destination.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    /// <summary>JSON objects per row; null columns are left out, as InfluxDB 3 does.</summary>
    private static void WriteJson(QueryResult result, bool lines, Stream destination)
    {
        using var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = lines });
        if (!lines)
        {
            writer.WriteStartArray();
        }

        foreach (var row in result.Rows)
        {
            writer.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    continue;
                }

                writer.WritePropertyName(result.Columns[i].Name);
                WriteJsonValue(writer, row[i]!, result.Columns[i].Type);
            }

            writer.WriteEndObject();
            if (lines)
            {
                // Each line is a separate JSON document; reset so no separator is written between them.
                writer.Flush();
                destination.WriteByte((byte)'\n');
                writer.Reset(destination);
            }
        }

        if (!lines)
        {
            writer.WriteEndArray();
        }

        writer.Flush();
    }

    private static void WriteJsonValue(Utf8JsonWriter writer, object value, QueryColumnType type)
    {
        switch (value)
        {
            case long ns when type == QueryColumnType.Timestamp: writer.WriteStringValue(ValueText.Timestamp(ns)); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case double d when double.IsFinite(d): writer.WriteRawValue(ValueText.Float(d)); break;
            case double: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static string Csv(QueryResult result)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', result.Columns.Select(c => CsvField(c.Name))).Append('\n');
        foreach (var row in result.Rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(CsvField(ValueText.Format(row[i], result.Columns[i].Type)));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>An ASCII table like Arrow's pretty printer.</summary>
    public static string Pretty(QueryResult result)
    {
        var cells = result.Rows.Select(r => r.Select((v, i) => ValueText.Format(v, result.Columns[i].Type)).ToArray()).ToList();
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

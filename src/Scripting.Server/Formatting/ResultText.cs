using Apache.Arrow;

namespace Scripting.Server.Formatting;

/// <summary>The query API's output formats, for results that arrive another way (the CLI's Flight queries): the same text, byte for byte.</summary>
public static class ResultText
{
    /// <summary>Writes <paramref name="batches"/> in <paramref name="format"/> (pretty, json, jsonl or csv) as they arrive.</summary>
    public static Task WriteAsync(Schema schema, IAsyncEnumerable<RecordBatch> batches, string format, Stream destination, CancellationToken cancellationToken) =>
        QueryResultWriter.WriteAsync(schema, batches, ResultFormats.Parse(format, null), destination, cancellationToken);
}

using Apache.Arrow;
using ParquetSharp.Arrow;
using Scripting.Client;
using Scripting.Server.Formatting;

namespace Scripting.Cli.Commands;

/// <summary>
/// <c>query --protocol flight</c>: the result arrives in Arrow record batches and leaves as they arrive, in
/// the query API's text formats (the same bytes as over HTTP) or as Parquet (each batch a row group's worth,
/// types kept: nanosecond timestamps stay nanoseconds).
/// </summary>
internal static class FlightOutput
{
    public static async Task WriteAsync(ScriptingFlightClient flight, string database, string sql, string format, Stream destination, CancellationToken cancellationToken)
    {
        Schema? schema = null;
        await using var batches = flight.QueryAsync(database, sql, s => schema = s, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        var first = await batches.MoveNextAsync();
        var rest = Rest(batches, first);
        if (format == "parquet")
        {
            await WriteParquetAsync(schema!, rest, destination);
            return;
        }

        await ResultText.WriteAsync(schema!, rest, format, destination, cancellationToken);
    }

    private static async IAsyncEnumerable<RecordBatch> Rest(IAsyncEnumerator<RecordBatch> batches, bool first)
    {
        if (!first)
        {
            yield break;
        }

        yield return batches.Current;
        while (await batches.MoveNextAsync())
        {
            yield return batches.Current;
        }
    }

    private static async Task WriteParquetAsync(Schema schema, IAsyncEnumerable<RecordBatch> batches, Stream destination)
    {
        // Parquet's footer is written last, after the row groups; a pipe cannot be written to out of order,
        // so the file is assembled in a seekable temporary file first when the destination is not seekable.
        var temporary = destination.CanSeek ? null : Path.GetTempFileName();
        try
        {
            await using (var target = temporary is null ? null : File.Create(temporary))
            {
                using var writer = new FileWriter(target ?? destination, schema, leaveOpen: true);
                await foreach (var batch in batches)
                {
                    writer.WriteRecordBatch(batch);
                }

                writer.Close();
            }

            if (temporary is not null)
            {
                await using var written = File.OpenRead(temporary);
                await written.CopyToAsync(destination);
            }
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }
}

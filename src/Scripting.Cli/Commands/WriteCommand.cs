using System.CommandLine;
using System.Text;

namespace Scripting.Cli.Commands;

internal static class WriteCommand
{
    /// <summary>Bodies are sent in chunks of at most this size, split at line ends, like influxdb3.</summary>
    private const int ChunkBytes = 10 * 1024 * 1024 - 4096;

    public static Command Create()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var precision = new Option<string?>("--precision", "-p") { Description = "Timestamp precision: auto, s, ms, us, ns (default: auto)" };
        precision.AcceptOnlyFromAmong("auto", "s", "ms", "us", "ns", "second", "millisecond", "microsecond", "nanosecond");
        var acceptPartial = new Option<bool>("--accept-partial") { Description = "Store the good lines even when some lines are bad" };
        var noSync = new Option<bool>("--no-sync") { Description = "Acknowledge before the write is durable" };
        var gzip = new Option<bool>("--gzip") { Description = "Compress the body with gzip" };
        var file = new Option<string?>("--file", "-f") { Description = "Read line protocol from this file" };
        var lines = new Argument<string?>("LINE_PROTOCOL") { Description = "Line protocol to write (or use --file, or standard input)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("write", "Write line protocol to a database") { host, token, ClientOptions.TlsCa, database, precision, acceptPartial, noSync, gzip, file, lines };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Write", async () =>
        {
            var text = await QueryCommand.InputAsync(result.GetValue(lines), result.GetValue(file), "line protocol", cancel);
            var target = ClientOptions.RequireDatabase(result.GetValue(database));
            using var client = ClientOptions.Connect(result, host, token);
            bool? partial = result.GetValue(acceptPartial) ? true : null;
            foreach (var chunk in Chunks(Encoding.UTF8.GetBytes(text)))
            {
                await client.WriteAsync(target, chunk, result.GetValue(precision), partial, result.GetValue(noSync), result.GetValue(gzip), cancel);
            }

            Console.WriteLine("success");
        }));
        return command;
    }

    private static IEnumerable<byte[]> Chunks(byte[] body)
    {
        var start = 0;
        while (body.Length - start > ChunkBytes)
        {
            var end = Array.LastIndexOf(body, (byte)'\n', start + ChunkBytes, ChunkBytes);
            end = end <= start ? start + ChunkBytes : end + 1;
            yield return body[start..end];
            start = end;
        }

        yield return body[start..];
    }
}

using System.CommandLine;

namespace Scripting.Cli.Commands;

internal static class QueryCommand
{
    public static Option<string> FormatOption(bool includeParquet)
    {
        var option = new Option<string>("--format")
        {
            Description = "Output format",
            DefaultValueFactory = _ => "pretty",
        };
        option.AcceptOnlyFromAmong(includeParquet ? ["pretty", "json", "jsonl", "csv", "parquet"] : ["pretty", "json", "jsonl", "csv"]);
        return option;
    }

    public static Command Create()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var format = FormatOption(includeParquet: true);
        var language = new Option<string>("--language", "-l") { Description = "Query language", DefaultValueFactory = _ => "sql" };
        language.AcceptOnlyFromAmong("sql");
        var output = new Option<string?>("--output", "-o") { Description = "Write the result to this file" };
        var file = new Option<string?>("--file", "-f") { Description = "Read the query from this file" };
        var protocol = new Option<string>("--protocol") { Description = "How the result travels: http (the query API) or flight (Arrow record batches over gRPC, for large results)", DefaultValueFactory = _ => "http" };
        protocol.AcceptOnlyFromAmong("http", "flight");
        var text = new Argument<string?>("QUERY") { Description = "The SQL query (or use --file, or standard input)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("query", "Run a SQL query") { host, token, ClientOptions.TlsCa, database, format, language, protocol, output, file, text };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Query", async () =>
        {
            var sql = await InputAsync(result.GetValue(text), result.GetValue(file), "query", cancel);
            var selected = result.GetValue(format)!;
            var target = result.GetValue(output);
            if (selected == "parquet" && target is null && !Console.IsOutputRedirected)
            {
                throw new CliException("parquet output is binary: use --output FILE or redirect standard output");
            }

            var name = ClientOptions.RequireDatabase(result.GetValue(database));
            if (result.GetValue(protocol) == "flight")
            {
                using var flight = ClientOptions.ConnectFlight(result, host, token);
                await using var destination = target is null ? Console.OpenStandardOutput() : File.Create(target);
                await FlightOutput.WriteAsync(flight, name, sql, selected, destination, cancel);
                if (selected == "json" && target is null)
                {
                    destination.WriteByte((byte)'\n');
                }

                return;
            }

            using var client = ClientOptions.Connect(result, host, token);
            var bytes = await client.QueryAsync(name, sql, selected, cancellationToken: cancel);
            if (target is not null)
            {
                await File.WriteAllBytesAsync(target, bytes, cancel);
                return;
            }

            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(bytes, cancel);
            if (selected == "json")
            {
                stdout.WriteByte((byte)'\n');
            }
        }));
        return command;
    }

    /// <summary>The command's input: the argument, else the file, else standard input when it is redirected.</summary>
    public static async Task<string> InputAsync(string? argument, string? file, string what, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(argument))
        {
            return argument;
        }

        if (file is not null)
        {
            return File.Exists(file)
                ? await File.ReadAllTextAsync(file, cancellationToken)
                : throw new CliException($"file '{file}' does not exist");
        }

        if (Console.IsInputRedirected)
        {
            return await Console.In.ReadToEndAsync(cancellationToken);
        }

        throw new CliException($"no {what} given: pass it as an argument, with --file, or on standard input");
    }
}

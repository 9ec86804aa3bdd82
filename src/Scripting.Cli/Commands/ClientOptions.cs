using System.CommandLine;
using Scripting.Client;

namespace Scripting.Cli.Commands;

/// <summary>Options every client command shares, with InfluxDB 3's names and environment variables.</summary>
internal static class ClientOptions
{
    public static Option<string> Host() => new("--host", "-H")
    {
        Description = "URL of the server [env: INFLUXDB3_HOST_URL]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("INFLUXDB3_HOST_URL") ?? "http://127.0.0.1:8181",
    };

    public static Option<string?> Token() => new("--token")
    {
        Description = "Authentication token [env: INFLUXDB3_AUTH_TOKEN]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("INFLUXDB3_AUTH_TOKEN"),
    };

    public static Option<string?> Database() => new("--database", "-d")
    {
        Description = "Database to use [env: INFLUXDB3_DATABASE_NAME]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("INFLUXDB3_DATABASE_NAME"),
    };

    /// <summary>
    /// The certificate authority that signed an <c>https://</c> server's certificate, for a server whose
    /// certificate the system does not trust (self-signed, or from a private authority). One option, shared
    /// by every client command.
    /// </summary>
    public static readonly Option<string?> TlsCa = new("--tls-ca")
    {
        Description = "PEM file of the certificate authority to trust for an https:// host [env: INFLUXDB3_TLS_CA]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("INFLUXDB3_TLS_CA"),
    };

    public static ScriptingClient Connect(ParseResult result, Option<string> host, Option<string?> token) =>
        new(HostUri(result.GetValue(host)!), result.GetValue(token), ServerTrust.Handler(result.GetValue(TlsCa)));

    /// <summary>A Flight client of the same server, trusting the same authorities.</summary>
    public static ScriptingFlightClient ConnectFlight(ParseResult result, Option<string> host, Option<string?> token) =>
        new(HostUri(result.GetValue(host)!), result.GetValue(token), ServerTrust.Handler(result.GetValue(TlsCa)));

    public static Uri HostUri(string host) =>
        Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"invalid --host '{host}': expected a URL such as http://127.0.0.1:8181 or https://host:8181");

    public static string RequireDatabase(string? database) =>
        string.IsNullOrEmpty(database)
            ? throw new CliException("no database given: pass --database NAME or set INFLUXDB3_DATABASE_NAME")
            : database;

    /// <summary>A <c>show</c> command that prints a listing the server formats (<c>--format</c>).</summary>
    public static Command ShowListing(string name, string description, Func<ScriptingClient, string, CancellationToken, Task<string>> list)
    {
        var (host, token) = (Host(), Token());
        var format = QueryCommand.FormatOption(includeParquet: false);
        var command = new Command(name, description) { host, token, TlsCa, format };
        command.SetAction((result, cancel) => RunAsync("Show", async () =>
        {
            using var client = Connect(result, host, token);
            Console.Write(await list(client, result.GetValue(format)!, cancel));
        }));
        return command;
    }

    /// <summary>Runs a client command: errors become one line on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(string verb, Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception error) when (error is CliException or ScriptingClientException or IOException)
        {
            await Console.Error.WriteLineAsync($"{verb} command failed: {error.Message}");
            return 1;
        }
        catch (HttpRequestException error) when (ServerTrust.Untrusted(error) is { } reason)
        {
            await Console.Error.WriteLineAsync($"{verb} command failed: {reason}");
            return 1;
        }
        catch (HttpRequestException error)
        {
            await Console.Error.WriteLineAsync($"{verb} command failed: could not reach the server ({error.Message}); is `scripting serve` running?");
            return 1;
        }
        catch (TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{verb} command failed: the server did not answer in time");
            return 1;
        }
    }
}

internal sealed class CliException(string message) : Exception(message);

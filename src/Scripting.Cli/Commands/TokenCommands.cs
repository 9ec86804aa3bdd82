using System.CommandLine;
using System.Text.Json;
using Scripting.Core.Triggers;

namespace Scripting.Cli.Commands;

/// <summary><c>create token --admin</c>, <c>delete token</c>, <c>show tokens</c>, as influxdb3.</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var admin = new Option<bool>("--admin") { Description = "An admin token (every token has full rights)", Required = true };
        var name = new Option<string?>("--name") { Description = "A named admin token; without it, the operator token _admin" };
        var expiry = new Option<string?>("--expiry") { Description = "Lifetime of a named token, e.g. 10d, 12h" };
        var regenerate = new Option<bool>("--regenerate") { Description = "A new secret for the operator token (the old one stops working)" };
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("token", "Create an admin token; the first one needs no token") { host, token, ClientOptions.TlsCa, admin, name, expiry, regenerate, format };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Create", async () =>
        {
            TimeSpan? lifetime = result.GetValue(expiry) is { } text
                ? EveryDuration.Parse(text, out var error) ?? throw new CliException($"invalid --expiry '{text}': {error}")
                : null;
            using var client = ClientOptions.Connect(result, host, token);
            var created = await client.CreateAdminTokenAsync(result.GetValue(name), result.GetValue(regenerate), lifetime, cancel);
            if (result.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(created, JsonOutput.Compact.CreatedToken));
                return;
            }

            var secret = created.Token;
            Console.WriteLine($"New token created successfully!\n\nToken: {secret}\n\nStore it now: it is not shown again. Use it with --token, or:\n  export INFLUXDB3_AUTH_TOKEN={secret}");
        }));
        return command;
    }

    public static Command Delete()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var name = new Option<string>("--token-name") { Description = "The token to delete", Required = true };
        var command = new Command("token", "Delete a named token") { host, token, ClientOptions.TlsCa, name };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Delete", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            await client.DeleteTokenAsync(result.GetValue(name)!, cancel);
            Console.WriteLine($"Token \"{result.GetValue(name)}\" deleted successfully");
        }));
        return command;
    }

    public static Command Show()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var command = new Command("tokens", "List tokens (names and dates; secrets are never shown again)") { host, token, ClientOptions.TlsCa };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Show", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            foreach (var item in await client.ListTokensAsync(cancel))
            {
                var expiry = item.Expiry is { } instant ? JsonOutput.Instant(instant) : "never";
                Console.WriteLine($"{item.Id}\t{Core.Catalog.Names.Printable(item.Name)}\tcreated {JsonOutput.Instant(item.CreatedAt)}\texpires {expiry}");
            }
        }));
        return command;
    }
}

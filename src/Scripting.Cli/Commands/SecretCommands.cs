using System.CommandLine;

namespace Scripting.Cli.Commands;

/// <summary><c>create secret</c>, <c>show secrets</c>, <c>delete secret</c>: values for trigger arguments (<c>${secret:NAME}</c>).</summary>
internal static class SecretCommands
{
    public static Command Create()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var name = new Argument<string>("SECRET_NAME") { Description = "The name trigger arguments refer to, as ${secret:SECRET_NAME}" };
        var value = new Option<string?>("--value") { Description = "The value (visible in the shell's history and process list; prefer stdin or --file)" };
        var file = new Option<string?>("--file") { Description = "Read the value from this file (one trailing newline dropped)" };
        var command = new Command("secret", "Create a secret; the value comes from stdin, --file or --value, and is never shown again") { host, token, ClientOptions.TlsCa, name, value, file };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Create", async () =>
        {
            var text = result.GetValue(value) ?? (result.GetValue(file) is { } path ? await File.ReadAllTextAsync(path, cancel) : await ReadStdinAsync(cancel));
            text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
            using var client = ClientOptions.Connect(result, host, token);
            await client.CreateSecretAsync(result.GetValue(name)!, text, cancel);
            Console.WriteLine($"Secret \"{result.GetValue(name)}\" created; refer to it in trigger arguments as ${{secret:{result.GetValue(name)}}}");
        }));
        return command;
    }

    public static Command Show()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var command = new Command("secrets", "List secrets: names, when created and last used, the triggers using them (never values)") { host, token, ClientOptions.TlsCa };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Show", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            foreach (var item in await client.ListSecretsAsync(cancel))
            {
                var used = item.LastUsedAt is { } instant ? $"last used {JsonOutput.Instant(instant)}" : "never used";
                var users = string.Join(", ", item.UsedBy);
                Console.WriteLine($"{Core.Catalog.Names.Printable(item.Name)}\tcreated {JsonOutput.Instant(item.CreatedAt)}\t{used}\t{(users.Length == 0 ? "used by no trigger" : $"used by {users}")}");
            }
        }));
        return command;
    }

    public static Command Delete()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var name = new Argument<string>("SECRET_NAME") { Description = "The secret to delete" };
        var force = new Option<bool>("--force") { Description = "Delete it even if triggers use it (their runs then fail until it exists again)" };
        var command = new Command("secret", "Delete a secret") { host, token, ClientOptions.TlsCa, name, force };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Delete", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            await client.DeleteSecretAsync(result.GetValue(name)!, result.GetValue(force), cancel);
            Console.WriteLine($"Secret \"{result.GetValue(name)}\" deleted successfully");
        }));
        return command;
    }

    private static async Task<string> ReadStdinAsync(CancellationToken cancel)
    {
        if (!Console.IsInputRedirected)
        {
            Console.Error.Write("Secret value (not echoed): ");
            var typed = new System.Text.StringBuilder();
            for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
            {
                if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
                {
                    typed.Length--;
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    typed.Append(key.KeyChar);
                }
            }

            Console.Error.WriteLine();
            return typed.ToString();
        }

        return await Console.In.ReadToEndAsync(cancel);
    }
}

using System.CommandLine;
using System.Text;
using Scripting.Core.Triggers;

namespace Scripting.Cli.Commands;

/// <summary>create / delete / enable / disable / show triggers, with influxdb3's flags.</summary>
internal static class TriggerCommands
{
    public static Command Create()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var specification = new Option<string>("--trigger-spec") { Description = "When it runs: table:NAME, all_tables, every:10s, cron:0 0 * * *, request:PATH", Required = true };
        var plugin = new Option<string?>("--plugin-filename") { Description = "Plugin file or directory, relative to the server's plugin directory" };
        var path = new Option<string?>("--path") { Description = "Same as --plugin-filename" };
        var arguments = new Option<string?>("--trigger-arguments") { Description = "Arguments for the plugin: key=value,key=value" };
        var disabled = new Option<bool>("--disabled") { Description = "Create the trigger without starting it" };
        var runAsync = new Option<bool>("--run-asynchronous") { Description = "Let runs overlap instead of one at a time" };
        var errorBehavior = new Option<string>("--error-behavior") { Description = "What a failed run does: log, retry or disable", DefaultValueFactory = _ => "log" };
        errorBehavior.AcceptOnlyFromAmong("log", "retry", "disable");
        var upload = new Option<bool>("--upload") { Description = "Upload the local file or directory named by --path (or --plugin-filename) to the server's plugin directory first" };
        var name = new Argument<string>("TRIGGER_NAME") { Description = "Name of the trigger" };
        var command = new Command("trigger", "Create a trigger that runs a plugin") { host, token, ClientOptions.TlsCa, database, specification, plugin, path, arguments, disabled, runAsync, errorBehavior, upload, name };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Create", async () =>
        {
            var spec = result.GetValue(specification)!;
            var parsed = TriggerSpecification.Parse(spec, out var error) ?? throw new CliException($"invalid value '{spec}' for '--trigger-spec': {error}");
            var pluginName = result.GetValue(plugin) ?? result.GetValue(path) ?? throw new CliException("no plugin given: pass --plugin-filename FILE (or --path FILE)");
            using var client = ClientOptions.Connect(result, host, token);
            if (result.GetValue(upload))
            {
                pluginName = await PluginCommands.UploadAsync(client, pluginName, cancel);
            }

            var trigger = result.GetValue(name)!;
            await client.CreateTriggerAsync(
                ClientOptions.RequireDatabase(result.GetValue(database)), trigger, parsed.ToString(), pluginName,
                ParseArguments(result.GetValue(arguments)), result.GetValue(disabled), result.GetValue(runAsync), result.GetValue(errorBehavior)!, cancel);
            Console.WriteLine($"Trigger {trigger} created successfully");
        }));
        return command;
    }

    public static Command Delete()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var force = new Option<bool>("--force") { Description = "Delete even if the trigger is enabled" };
        var name = new Argument<string>("TRIGGER_NAME");
        var command = new Command("trigger", "Delete a trigger") { host, token, ClientOptions.TlsCa, database, force, name };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Delete", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            await client.DeleteTriggerAsync(ClientOptions.RequireDatabase(result.GetValue(database)), result.GetValue(name)!, result.GetValue(force), cancel);
            Console.WriteLine($"Trigger {result.GetValue(name)} deleted successfully");
        }));
        return command;
    }

    public static Command Toggle(bool enable)
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var name = new Argument<string>("TRIGGER_NAME");
        var verb = enable ? "Enable" : "Disable";
        var command = new Command("trigger", $"{verb} a trigger") { host, token, ClientOptions.TlsCa, database, name };
        command.SetAction((result, cancel) => ClientOptions.RunAsync(verb, async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            await client.SetTriggerEnabledAsync(ClientOptions.RequireDatabase(result.GetValue(database)), result.GetValue(name)!, enable, cancel);
            Console.WriteLine($"Trigger {result.GetValue(name)} {(enable ? "enabled" : "disabled")} successfully");
        }));
        return command;
    }

    public static Command Show()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var format = QueryCommand.FormatOption(includeParquet: false);
        var command = new Command("triggers", "List the triggers of a database with their state") { host, token, ClientOptions.TlsCa, database, format };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Show", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            var sql = "SELECT trigger_name, plugin_filename, trigger_specification, disabled, error_behavior, run_async FROM system.processing_engine_triggers ORDER BY trigger_name";
            var bytes = await client.QueryAsync(ClientOptions.RequireDatabase(result.GetValue(database)), sql, result.GetValue(format)!, cancellationToken: cancel);
            Console.Write(Encoding.UTF8.GetString(bytes));
        }));
        return command;
    }

    /// <summary>k=v,k=v: split at commas, then at the first '='; later keys win.</summary>
    internal static Dictionary<string, string>? ParseArguments(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"invalid trigger argument '{item}': must be formatted as \"key=value\"");
            }

            arguments[item[..equals].Trim()] = item[(equals + 1)..];
        }

        return arguments;
    }
}

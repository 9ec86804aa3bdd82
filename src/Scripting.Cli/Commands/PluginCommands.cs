using System.CommandLine;
using Scripting.Core.Plugins;
using System.Text.Json;
using Scripting.Contracts;

namespace Scripting.Cli.Commands;

/// <summary>The plugin authoring loop: scaffold, dry run, upload and replace, list.</summary>
internal static class PluginCommands
{

    /// <summary><c>scripting create plugin NAME --language --type</c>: writes a plugin that runs as it is, and the editor files.</summary>
    public static Command Scaffold()
    {
        var name = new Argument<string>("PLUGIN_NAME") { Description = "Name of the plugin (its file name without extension)" };
        var names = PluginTemplates.Languages.Select(l => l.Language.Name).ToArray();
        var language = new Option<string>("--language", "--lang") { Description = string.Join(" or ", names), DefaultValueFactory = _ => names[0] };
        language.AcceptOnlyFromAmong(names);
        var kind = new Option<string>("--type") { Description = "What runs it: writes, schedule or request", Required = true };
        kind.AcceptOnlyFromAmong(PluginTemplates.Kinds);
        var directory = new Option<string?>("--plugin-dir") { Description = "Plugin directory to write into [env: INFLUXDB3_PLUGIN_DIR] (default: the current directory)" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var command = new Command("plugin", $"Write a new plugin from a template: {string.Join(" or ", names)}; writes, schedule or request") { name, language, kind, directory, force };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Create", async () =>
        {
            var plugin = result.GetValue(name)!;
            if (plugin.Length == 0 || plugin.IndexOfAny(['/', '\\', ' ', '.']) >= 0)
            {
                throw new CliException($"invalid plugin name '{plugin}': use letters, digits, '_' or '-' (the extension is added)");
            }

            var (lang, type) = (PluginTemplates.Language(result.GetValue(language)!), result.GetValue(kind)!);
            var root = Path.GetFullPath(result.GetValue(directory) ?? Environment.GetEnvironmentVariable("INFLUXDB3_PLUGIN_DIR") ?? ".");
            var file = Path.Combine(root, plugin + lang.Language.Extension);
            if (File.Exists(file) && !result.GetValue(force))
            {
                throw new CliException($"{file} exists; pass --force to overwrite it");
            }

            Directory.CreateDirectory(root);
            await File.WriteAllTextAsync(file, lang.Template(PluginTemplates.EntryPoint(type), plugin), cancel);
            foreach (var written in EditorFiles(root, lang))
            {
                Console.WriteLine($"wrote {written} (editor support)");
            }

            Console.WriteLine($"Plugin {file} created successfully");
            var fileName = Path.GetFileName(file);
            Console.WriteLine(type switch
            {
                "writes" => $"try it:  scripting test wal_plugin -d DATABASE --lp \"home,room=Kitchen temp=21.5\" {fileName}",
                "schedule" => $"try it:  scripting test schedule_plugin -d DATABASE {fileName}",
                _ => $"try it:  create the trigger below, then curl \"http://127.0.0.1:8181/api/v3/engine/{plugin}?name=ann\"",
            });
            Console.WriteLine($"run it:  scripting create trigger -d DATABASE --trigger-spec \"{PluginTemplates.ExampleSpecification(type, plugin)}\" --plugin-filename {fileName} {plugin}");
        }));
        return command;
    }

    /// <summary>The files that give editors the plugin API (Python's stubs, the C# API assembly), where they changed.</summary>
    private static IEnumerable<string> EditorFiles(string root, IPluginAuthoring language)
    {
        foreach (var (relative, content) in language.EditorFiles())
        {
            var target = Path.Combine(root, relative);
            if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(content))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, content);
                yield return target;
            }
        }
    }

    /// <summary><c>scripting test wal_plugin|schedule_plugin</c>: dry runs, printed as JSON.</summary>
    public static Command Test()
    {
        var command = new Command("test", "Dry-run a plugin: see its logs and the writes it would make, without writing");
        command.Subcommands.Add(TestWal());
        command.Subcommands.Add(TestSchedule());
        return command;
    }

    private static Command TestWal()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var lineProtocol = new Option<string?>("--lp") { Description = "Line protocol whose rows the plugin receives" };
        var file = new Option<string?>("--file", "-f") { Description = "A local file of line protocol (instead of --lp)" };
        var (arguments, cacheName, filename) = Common();
        var command = new Command("wal_plugin", "Run a plugin's process_writes with rows from line protocol") { host, token, ClientOptions.TlsCa, database, lineProtocol, file, arguments, cacheName, filename };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Test", async () =>
        {
            var input = result.GetValue(lineProtocol) ?? (result.GetValue(file) is { } path ? await File.ReadAllTextAsync(path, cancel) : null)
                ?? throw new CliException("no input: pass --lp \"LINE PROTOCOL\" or --file FILE");
            using var client = ClientOptions.Connect(result, host, token);
            Print(await client.TestWalPluginAsync(result.GetValue(filename)!, ClientOptions.RequireDatabase(result.GetValue(database)), input,
                TriggerCommands.ParseArguments(result.GetValue(arguments)), result.GetValue(cacheName), cancel));
        }));
        return command;
    }

    private static Command TestSchedule()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var schedule = new Option<string?>("--schedule") { Description = "Cron expression (6 fields, seconds first) or every:DURATION; default every second" };
        var (arguments, cacheName, filename) = Common();
        var command = new Command("schedule_plugin", "Run a plugin's process_scheduled_call at the schedule's next time") { host, token, ClientOptions.TlsCa, database, schedule, arguments, cacheName, filename };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Test", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            Print(await client.TestSchedulePluginAsync(result.GetValue(filename)!, ClientOptions.RequireDatabase(result.GetValue(database)), result.GetValue(schedule),
                TriggerCommands.ParseArguments(result.GetValue(arguments)), result.GetValue(cacheName), cancel));
        }));
        return command;
    }

    private static (Option<string?> Arguments, Option<string?> CacheName, Argument<string> Filename) Common() =>
        (new Option<string?>("--input-arguments") { Description = "Arguments for the plugin: key=value,key=value" },
         new Option<string?>("--cache-name") { Description = "Cache shared by the dry runs that name it (default _shared_test)" },
         new Argument<string>("FILENAME") { Description = "The plugin, relative to the server's plugin directory" });

    /// <summary><c>scripting update trigger</c>: replaces a trigger's plugin with a local file or directory.</summary>
    public static Command Update()
    {
        var (host, token, database) = (ClientOptions.Host(), ClientOptions.Token(), ClientOptions.Database());
        var trigger = new Option<string>("--trigger-name") { Description = "The trigger whose plugin is replaced", Required = true };
        var path = new Option<string>("--path") { Description = "A local plugin file, or a directory (every source file of its language in it)", Required = true };
        var command = new Command("trigger", "Replace a trigger's plugin with a local file or directory") { host, token, ClientOptions.TlsCa, database, trigger, path };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Update", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            var (name, local) = (result.GetValue(trigger)!, result.GetValue(path)!);
            if (Directory.Exists(local))
            {
                await client.ReplaceTriggerDirectoryAsync(name, LocalFiles(local).Select(f => (f.Relative, File.ReadAllText(f.Full))).ToList(), cancel);
                Console.WriteLine($"Trigger '{name}' updated successfully (atomic directory replacement)");
            }
            else
            {
                await client.ReplaceTriggerPluginAsync(name, await ReadLocalAsync(local, cancel), cancel);
                Console.WriteLine($"Trigger '{name}' updated successfully");
            }
        }));
        return command;
    }

    /// <summary>Uploads a local plugin (file, or directory) for <c>create trigger --upload</c>; returns the name to use.</summary>
    public static async Task<string> UploadAsync(Client.ScriptingClient client, string local, CancellationToken cancel)
    {
        if (Directory.Exists(local))
        {
            var directory = Path.GetFileName(Path.GetFullPath(local).TrimEnd(Path.DirectorySeparatorChar));
            foreach (var (relative, full) in LocalFiles(local))
            {
                await client.UploadPluginFileAsync($"{directory}/{relative}", await File.ReadAllTextAsync(full, cancel), cancel);
            }

            return directory;
        }

        var name = Path.GetFileName(local);
        await client.UploadPluginFileAsync(name, await ReadLocalAsync(local, cancel), cancel);
        return name;
    }

    /// <summary><c>scripting show plugins</c>.</summary>
    public static Command Show() => ClientOptions.ShowListing(
        "plugins",
        "List the plugins of the server's plugin directory: language, entry points, triggers, load errors",
        (client, format, cancel) => client.ListPluginsAsync(format, cancel));

    private static void Print(PluginTestResponse result) =>
        Console.WriteLine(JsonSerializer.Serialize(result, JsonOutput.Indented.PluginTestResponse));

    private static async Task<string> ReadLocalAsync(string path, CancellationToken cancel) =>
        File.Exists(path) ? await File.ReadAllTextAsync(path, cancel) : throw new CliException($"no such file: {path}");

    /// <summary>The plugin files of a local directory: the source files of its language, outside caches and hidden folders.</summary>
    private static IEnumerable<(string Relative, string Full)> LocalFiles(string directory)
    {
        var languages = PluginTemplates.Languages.Select(l => l.Language).ToList();
        var language = languages.FirstOrDefault(l => File.Exists(Path.Combine(directory, l.DirectoryEntryFile)))
            ?? throw new CliException($"{directory} is not a plugin directory: it needs {string.Join(" or ", languages.Select(l => $"{l.DirectoryEntryFile} ({l.DisplayName})"))}");

        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(full => (Relative: Path.GetRelativePath(directory, full).Replace('\\', '/'), Full: full))
            .Where(f => language.IsSourceFile(f.Relative)
                && !f.Relative.Split('/').Any(part => part == "__pycache__" || part.StartsWith('.')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
    }
}

using System.CommandLine;
using Scripting.Cli.Commands;

var root = new RootCommand("Scripting: a processing engine for time series, compatible with the InfluxDB 3 API.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(new Command("create", "Create a database, a trigger, a plugin, a token or a secret") { DatabaseCommands.Create(), TriggerCommands.Create(), PluginCommands.Scaffold(), TokenCommands.Create(), SecretCommands.Create() });
root.Subcommands.Add(new Command("delete", "Delete a database or a trigger") { DatabaseCommands.Delete(), TriggerCommands.Delete(), TokenCommands.Delete(), SecretCommands.Delete() });
root.Subcommands.Add(new Command("enable", "Enable a trigger") { TriggerCommands.Toggle(enable: true) });
root.Subcommands.Add(new Command("disable", "Disable a trigger") { TriggerCommands.Toggle(enable: false) });
root.Subcommands.Add(new Command("show", "List databases, triggers or plugins") { DatabaseCommands.Show(), TriggerCommands.Show(), PluginCommands.Show(), TokenCommands.Show(), SecretCommands.Show() });
root.Subcommands.Add(new Command("update", "Replace a trigger's plugin") { PluginCommands.Update() });
root.Subcommands.Add(PluginCommands.Test());
root.Subcommands.Add(WriteCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(InstallCommands.Create());
return await root.Parse(args).InvokeAsync();

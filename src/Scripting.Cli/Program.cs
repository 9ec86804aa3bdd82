using System.CommandLine;
using Scripting.Cli.Commands;

var root = new RootCommand("Scripting: a processing engine for time series, compatible with the InfluxDB 3 API.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(new Command("create", "Create a database or a trigger") { DatabaseCommands.Create(), TriggerCommands.Create() });
root.Subcommands.Add(new Command("delete", "Delete a database or a trigger") { DatabaseCommands.Delete(), TriggerCommands.Delete() });
root.Subcommands.Add(new Command("enable", "Enable a trigger") { TriggerCommands.Toggle(enable: true) });
root.Subcommands.Add(new Command("disable", "Disable a trigger") { TriggerCommands.Toggle(enable: false) });
root.Subcommands.Add(new Command("show", "List databases or triggers") { DatabaseCommands.Show(), TriggerCommands.Show() });
root.Subcommands.Add(WriteCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(InstallCommands.Create());
return await root.Parse(args).InvokeAsync();

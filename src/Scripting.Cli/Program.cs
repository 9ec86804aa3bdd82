using System.CommandLine;
using Scripting.Cli.Commands;

var root = new RootCommand("Scripting: a processing engine for time series, compatible with the InfluxDB 3 API.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(new Command("create", "Create a database") { DatabaseCommands.Create() });
root.Subcommands.Add(new Command("delete", "Delete a database") { DatabaseCommands.Delete() });
root.Subcommands.Add(new Command("show", "List databases") { DatabaseCommands.Show() });
root.Subcommands.Add(WriteCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
return await root.Parse(args).InvokeAsync();

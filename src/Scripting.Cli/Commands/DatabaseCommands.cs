using System.CommandLine;

namespace Scripting.Cli.Commands;

internal static class DatabaseCommands
{
    public static Command Create()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var name = new Argument<string>("DATABASE_NAME") { Description = "Name of the database to create" };
        var command = new Command("database", "Create a database") { host, token, name };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Create", async () =>
        {
            using var client = ClientOptions.Connect(result.GetValue(host)!, result.GetValue(token));
            var database = result.GetValue(name)!;
            await client.CreateDatabaseAsync(database, cancel);
            Console.WriteLine($"Database \"{database}\" created successfully");
        }));
        return command;
    }

    public static Command Delete()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var name = new Argument<string>("DATABASE_NAME") { Description = "Name of the database to delete" };
        var command = new Command("database", "Delete a database and its data") { host, token, name };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Delete", async () =>
        {
            using var client = ClientOptions.Connect(result.GetValue(host)!, result.GetValue(token));
            var database = result.GetValue(name)!;
            await client.DeleteDatabaseAsync(database, cancel);
            Console.WriteLine($"Database \"{database}\" deleted successfully");
        }));
        return command;
    }

    public static Command Show()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var format = QueryCommand.FormatOption(includeParquet: false);
        var command = new Command("databases", "List databases") { host, token, format };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Show", async () =>
        {
            using var client = ClientOptions.Connect(result.GetValue(host)!, result.GetValue(token));
            Console.Write(await client.ListDatabasesAsync(result.GetValue(format)!, cancel));
        }));
        return command;
    }
}

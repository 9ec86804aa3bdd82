using System.CommandLine;
using Scripting.Client;

namespace Scripting.Cli.Commands;

internal static class DatabaseCommands
{
    public static Command Create() => Change("Create", "Create a database", "created", (client, name, cancel) => client.CreateDatabaseAsync(name, cancel));

    public static Command Delete() => Change("Delete", "Delete a database and its data", "deleted", (client, name, cancel) => client.DeleteDatabaseAsync(name, cancel));

    private static Command Change(string verb, string description, string done, Func<ScriptingClient, string, CancellationToken, Task> action)
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var name = new Argument<string>("DATABASE_NAME") { Description = "Name of the database" };
        var command = new Command("database", description) { host, token, ClientOptions.TlsCa, name };
        command.SetAction((result, cancel) => ClientOptions.RunAsync(verb, async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            var database = result.GetValue(name)!;
            await action(client, database, cancel);
            Console.WriteLine($"Database \"{database}\" {done} successfully");
        }));
        return command;
    }

    public static Command Show() =>
        ClientOptions.ShowListing("databases", "List databases", (client, format, cancel) => client.ListDatabasesAsync(format, cancel));
}

using System.CommandLine;

namespace Scripting.Cli.Commands;

/// <summary><c>scripting install package|requirements</c>: pip in the server's plugin virtual environment.</summary>
internal static class InstallCommands
{
    public static Command Create() => new("install", "Install Python packages for plugins") { Package(), Requirements() };

    /// <summary>As influxdb3: packages, or <c>-r FILE</c>, or both.</summary>
    private static Command Package()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var requirements = new Option<string?>("--requirements", "-r") { Description = "A requirements file to install from (its path as the server sees it)" };
        var packages = new Argument<string[]>("PACKAGES") { Description = "Package specifiers, for example requests or pandas==2.2.0", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("package", "Install packages with pip in the plugin virtual environment") { host, token, ClientOptions.TlsCa, requirements, packages };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Install", async () =>
        {
            var names = result.GetValue(packages) ?? [];
            var file = result.GetValue(requirements);
            if (names.Length == 0 && file is null)
            {
                throw new CliException("nothing to install: name at least one package or pass -r REQUIREMENTS_FILE");
            }

            using var client = ClientOptions.Connect(result, host, token);
            if (file is not null)
            {
                await client.InstallRequirementsAsync(Path.GetFullPath(file), cancel);
                Console.WriteLine($"Requirements from {file} installed successfully");
            }

            if (names.Length > 0)
            {
                await client.InstallPackagesAsync(names, cancel);
                Console.WriteLine($"Package{(names.Length == 1 ? string.Empty : "s")} {string.Join(", ", names)} installed successfully");
            }
        }));
        return command;
    }

    private static Command Requirements()
    {
        var (host, token) = (ClientOptions.Host(), ClientOptions.Token());
        var file = new Argument<string>("REQUIREMENTS_FILE") { Description = "A requirements file (its path as the server sees it)" };
        var command = new Command("requirements", "Install the packages of a requirements file with pip") { host, token, ClientOptions.TlsCa, file };
        command.SetAction((result, cancel) => ClientOptions.RunAsync("Install", async () =>
        {
            using var client = ClientOptions.Connect(result, host, token);
            var path = result.GetValue(file)!;
            await client.InstallRequirementsAsync(Path.GetFullPath(path), cancel);
            Console.WriteLine($"Requirements from {path} installed successfully");
        }));
        return command;
    }
}

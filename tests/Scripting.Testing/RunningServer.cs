using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Scripting.Client;
using Scripting.Server.Hosting;

namespace Scripting.Testing;

/// <summary>A real server in this process on a free loopback port with its own temporary data dir, and a typed client of it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, string dataDirectory, Uri address)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
        Client = new ScriptingClient(address);
    }

    public string DataDirectory { get; }
    public Uri Address { get; }
    /// <summary>Raw HTTP, for tests of the wire itself (status codes, headers, malformed bodies).</summary>
    public HttpClient Http { get; }

    /// <summary>The typed client, for tests that use the API rather than test it.</summary>
    public ScriptingClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Creates the admin token (a server started with authentication) and returns it.</summary>
    public async Task<string> CreateAdminTokenAsync()
    {
        using var created = await Http.PostAsync("/api/v3/configure/token/admin", null);
        created.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Polls until no query holds a place in the query layer; fails past <paramref name="within"/>.</summary>
    public async Task WaitUntilNoQueryRunsAsync(TimeSpan within)
    {
        var layer = Services.GetRequiredService<Scripting.Query.QueryLayer>();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (layer.Running > 0)
        {
            deadline.Elapsed.ShouldBeLessThan(within, "the query kept its place after it was stopped");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// One plugin virtual environment for the servers of this test process: the embedded interpreter is one per
    /// process anyway, and creating an environment per server would only cost time.
    /// </summary>
    /// <remarks>
    /// Created with the system's site-packages visible (so plugins can import what the machine has, such as
    /// requests, without a package index), and the interpreter started with it before any server, so which
    /// test runs first does not change what plugins can import.
    /// </remarks>
    public static string SharedVirtualEnvironment => SharedEnvironment.Value;

    private static readonly Lazy<string> SharedEnvironment = new(() =>
    {
        var directory = Path.Combine(TempDirectory.Root, "venv");
        var installation = Scripting.Python.Discovery.PythonLocator.Find(null, out _);
        if (installation is null)
        {
            return directory;
        }

        if (!File.Exists(Path.Combine(directory, "pyvenv.cfg")))
        {
            using var venv = System.Diagnostics.Process.Start(installation.Executable, ["-m", "venv", "--without-pip", "--system-site-packages", directory]);
            venv.WaitForExit();
        }

        _ = new Scripting.Python.PythonRuntime(installation, new Scripting.Python.Packages.VirtualEnvironment(directory, installation));
        return directory;
    });

    /// <summary>Pass as VirtualEnvLocation to get the server's own default (&lt;plugin-dir&gt;/.venv).</summary>
    public const string DefaultVirtualEnvironment = "<default>";

    /// <param name="options">Server options; the test's HTTP bind, data dir and log filter replace its own.</param>
    /// <param name="dataDirectory">The data dir; a new temporary one when null.</param>
    /// <param name="authentication">Require tokens as a default server does; off by default so tests that are not about tokens need none.</param>
    public static async Task<RunningServer> StartAsync(ServerOptions? options = null, string? dataDirectory = null, bool authentication = false)
    {
        dataDirectory ??= TempDirectory.NewPath("server");
        options ??= new ServerOptions();
        var shared = SharedVirtualEnvironment;
        var app = ScriptingServer.Build(options with
        {
            HttpBind = "127.0.0.1:0",
            DataDirectory = dataDirectory,
            LogFilter = "warn",
            WithoutAuth = !authentication,
            VirtualEnvLocation = options.VirtualEnvLocation switch
            {
                null => shared,
                DefaultVirtualEnvironment => null,
                var location => location,
            },
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, dataDirectory, new Uri(address));
    }

    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Client.Dispose();
        await StopAsync();
        TempDirectory.Remove(DataDirectory);
    }
}

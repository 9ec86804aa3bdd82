using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests;

/// <summary>A real server on a free loopback port with its own temporary data dir.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, string dataDirectory, Uri address)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public string DataDirectory { get; }
    public Uri Address { get; }
    public HttpClient Http { get; }

    /// <summary>
    /// One plugin virtual environment for the servers of this test process: the embedded interpreter is one per
    /// process anyway, and creating an environment per server would only cost time.
    /// </summary>
    public static string SharedVirtualEnvironment { get; } = Path.Combine(Path.GetTempPath(), $"scripting-tests-venv-{Environment.ProcessId}");

    /// <summary>Pass as VirtualEnvLocation to get the server's own default (&lt;plugin-dir&gt;/.venv).</summary>
    public const string DefaultVirtualEnvironment = "<default>";

    public static async Task<RunningServer> StartAsync(ServerOptions? options = null, string? dataDirectory = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "scripting-server-" + Guid.NewGuid().ToString("N"));
        options ??= new ServerOptions();
        var app = ScriptingServer.Build(options with
        {
            HttpBind = "127.0.0.1:0",
            DataDirectory = dataDirectory,
            LogFilter = "warn",
            VirtualEnvLocation = options.VirtualEnvLocation switch
            {
                null => SharedVirtualEnvironment,
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
        await StopAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

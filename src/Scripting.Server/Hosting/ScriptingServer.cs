using Scripting.Flight;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scripting.Core.Catalog;
using Scripting.Core.Plugins;
using Scripting.CSharp;
using Scripting.Engine;
using Scripting.Engine.Triggers;
using Scripting.Python;
using Scripting.Query;
using Scripting.Storage;
using Scripting.Storage.DuckDb;

namespace Scripting.Server.Hosting;

/// <summary>The composition root: the only place that knows every project.</summary>
public static class ScriptingServer
{
    public static WebApplication Build(ServerOptions options)
    {
        // Taken before the catalog is read, so a second server on the same data dir stops here.
        var dataDirectoryLock = options.InMemory || options.DataDirectory is null ? null : DataDirectoryLock.Acquire(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.AddServerLogging(options);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAsConfigured(options));

        // Registration order is start order; the host stops in reverse: the engine drains before the store closes.
        builder.Services
            .AddSingleton(options)
            .AddSingleton(options.Time)
            .AddSingleton(provider => new SchemaCatalog(provider.GetRequiredService<ICatalogPersistence>()) { Limits = options.SchemaLimits })
            .AddDuckDbStorage(new StorageSettings(options.InMemory ? null : options.DataDirectory, options.QueryMemoryLimit, options.SecretsKeyFile))
            .AddQueryLayer(options.QueryLimits)
            .AddSingleton<Scripting.InfluxQL.InfluxQlLayer>()
            .AddProcessingEngine(new EngineOptions { DefaultRunTimeout = options.PluginRunTimeout, PluginMemoryLimit = options.PluginMemoryLimit }, options.PluginDirectory)
            .AddPluginLanguages(options)
            .AddHttpApi(options)
            .AddFlightQueries(new FlightSettings(options.WithoutAuth) { KeepAlive = options.FlightKeepAlive });

        var app = builder.Build();
        app.UseHttpApi(options);
        app.MapFlightQueries();
        app.MapHttpApi();
        app.Lifetime.ApplicationStopped.Register(() => dataDirectoryLock?.Dispose());
        return app;
    }

    /// <summary>
    /// The plugin languages of this server, one line each; a language's project registers its runtime and
    /// its templates. The first is the CLI's default language for new plugins (Python, as InfluxDB 3).
    /// </summary>
    internal static IServiceCollection AddPluginLanguages(this IServiceCollection services, ServerOptions options) => services
        .AddPythonPlugins(new PythonSettings(options.PythonInterpreter, options.VirtualEnvLocation, options.PluginDirectory))
        .AddCSharpPlugins();

    /// <summary>What each language gives plugin authors (templates, editor files), without starting any runtime.</summary>
    public static IReadOnlyList<IPluginAuthoring> PluginAuthoring()
    {
        using var services = new ServiceCollection().AddPluginLanguages(new ServerOptions()).BuildServiceProvider();
        return [.. services.GetServices<IPluginAuthoring>()];
    }
}

internal static class Bind
{
    /// <summary>host:port, with host names resolved (so localhost:9191 works as in the seeds).</summary>
    public static IPEndPoint Parse(string bind, string flag = "--http-bind")
    {
        var colon = bind.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(bind[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            throw new ArgumentException($"invalid {flag} '{bind}': expected host:port, for example 127.0.0.1:8181");
        }

        var host = bind[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        var resolved = Dns.GetHostAddresses(host);
        var chosen = resolved.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
            ?? throw new ArgumentException($"invalid {flag} '{bind}': host '{host}' did not resolve");
        return new IPEndPoint(chosen, port);
    }
}

internal static class LogLevels
{
    /// <summary>Reads the level of an InfluxDB log filter such as "info" or "debug,iox=warn" (the first directive).</summary>
    public static LogLevel Parse(string filter) => filter.Split(',')[0].Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "off" => LogLevel.None,
        _ => LogLevel.Information,
    };
}

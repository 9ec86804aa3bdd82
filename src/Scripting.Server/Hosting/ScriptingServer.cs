using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scripting.Core.Catalog;
using Scripting.Core.Queries;
using Scripting.Core.Writes;
using Scripting.Core.Plugins;
using Scripting.Core.Security;
using Scripting.Core.Triggers;
using Scripting.CSharp;
using Scripting.Engine;
using Scripting.Engine.Limits;
using Scripting.Engine.Local;
using Scripting.Engine.Logs;
using Scripting.Engine.Plugins;
using Scripting.Engine.Testing;
using Scripting.Engine.Triggers;
using Scripting.Query;
using Scripting.Server.Endpoints;
using Scripting.Server.Http;
using Scripting.Storage.Catalog;
using Scripting.Storage.DuckDb;
using Scripting.Storage.Runs;

namespace Scripting.Server.Hosting;

/// <summary>The composition root: the only place that knows every project.</summary>
public static class ScriptingServer
{
    public static WebApplication Build(ServerOptions options)
    {
        // Taken before the catalog is read, so a second server on the same data dir stops here.
        var dataDirectoryLock = options.InMemory || options.DataDirectory is null ? null : DataDirectoryLock.Acquire(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(LogLevels.Parse(options.LogFilter));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBytes, options.MaxPluginDirectoryBytes);
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections ?? OpenFiles.DefaultMaxConnections();
            kestrel.Limits.MaxConcurrentUpgradedConnections = kestrel.Limits.MaxConcurrentConnections;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.AddServerHeader = false;
            var endpoint = Bind.Parse(options.HttpBind);
            kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
            if (options.AdminTokenRecoveryBind is { } recovery && !options.WithoutAuth)
            {
                kestrel.Listen(Bind.Parse(recovery, "--admin-token-recovery-http-bind"), listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Use(next => connection =>
                    {
                        connection.Items[TokenRecovery.ConnectionMark] = true;
                        return next(connection);
                    });
                });
            }
        });

        builder.Services.ConfigureHttpJsonOptions(json => JsonDefaults.Configure(json.SerializerOptions));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton<ICatalogPersistence>(_ => options.InMemory || options.DataDirectory is null
            ? new MemoryCatalogPersistence()
            : new JsonCatalogPersistence(options.DataDirectory));
        builder.Services.AddSingleton(services => new SchemaCatalog(services.GetRequiredService<ICatalogPersistence>()) { Limits = options.SchemaLimits });
        var tokens = new TokenStore(
            options.InMemory || options.DataDirectory is null ? new MemoryTokenPersistence() : new JsonTokenPersistence(options.DataDirectory),
            options.Time);
        if (options.AdminTokenFile is { } tokenFile)
        {
            AdminTokenFile.Load(tokenFile, tokens);
        }

        builder.Services.AddSingleton(tokens);
        if (options.InMemory || options.DataDirectory is null)
        {
            var memory = new MemorySecretPersistence();
            builder.Services.AddSingleton(new SecretStore(memory, memory, options.Time));
        }
        else
        {
            builder.Services.AddSingleton(new SecretStore(new JsonSecretPersistence(options.DataDirectory), new SecretKeyFile(options.SecretsKeyFile ?? SecretKeyFile.DefaultPath), options.Time));
        }

        builder.Services.AddSingleton<WriteNotifier>();
        builder.Services.AddSingleton<SystemTables>();
        builder.Services.AddSingleton(services => new DuckDbStorage(
            services.GetRequiredService<SchemaCatalog>(),
            options.InMemory ? null : options.DataDirectory,
            services.GetRequiredService<ILogger<DuckDbStorage>>(),
            services.GetRequiredService<WriteNotifier>(),
            services.GetRequiredService<SystemTables>(),
            options.QueryMemoryLimit));
        builder.Services.AddSingleton<IWriteBuffer>(services => services.GetRequiredService<DuckDbStorage>());
        builder.Services.AddSingleton<ISqlEngine>(services => services.GetRequiredService<DuckDbStorage>());

        // Every query, from HTTP or a plugin, goes through the query layer.
        builder.Services.AddSingleton(options.QueryLimits);
        builder.Services.AddSingleton<QueryLayer>();
        builder.Services.AddSingleton<IQueryExecutor>(services => services.GetRequiredService<QueryLayer>());
        builder.Services.AddSingleton<WriteService>();

        // The processing engine and its languages: adding a language is one more IPluginRuntime here.
        builder.Services.AddSingleton<IPluginRuntime, CSharpRuntime>();
        var python = PythonPlugins.Start(options);
        builder.Services.AddSingleton(python);
        builder.Services.AddSingleton(python.Runtime);
        builder.Services.AddSingleton(new EngineOptions { DefaultRunTimeout = options.PluginRunTimeout, PluginMemoryLimit = options.PluginMemoryLimit });
        builder.Services.AddSingleton<IPluginMemoryGauge>(services => new ProcessPluginMemoryGauge(services.GetServices<IPluginRuntime>()));
        builder.Services.AddSingleton<MemoryGuard>();
        builder.Services.AddSingleton<PluginLogStore>();
        builder.Services.AddSingleton<PluginCacheStore>();
        builder.Services.AddSingleton<PluginWriter>();
        builder.Services.AddSingleton(services => new PluginLoader(
            options.PluginDirectory,
            services.GetServices<IPluginRuntime>(),
            services.GetRequiredService<PluginLogStore>(),
            services.GetRequiredService<ILogger<PluginLoader>>()));
        IRunJournal journal = options.InMemory || options.DataDirectory is null ? new NoRunJournal() : new RunJournal(options.DataDirectory);
        builder.Services.AddSingleton(journal);
        builder.Services.AddSingleton<PluginRunner>();
        builder.Services.AddSingleton<PluginTester>();
        builder.Services.AddSingleton<PluginFiles>();
        builder.Services.AddSingleton<PluginListing>();
        builder.Services.AddSingleton<ProcessingEngine>();

        var app = builder.Build();
        var httpLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Scripting.Http");
        app.Use((context, next) => ErrorResponses.HandleAsync(context, next, httpLogger));
        app.Use((context, next) => TokenRecovery.HandleAsync(context, next));
        app.Use((context, next) => Authentication.HandleAsync(context, next, options, tokens));
        app.Use((context, next) => RequestLimits.HandleAsync(context, next, options));
        var startLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Scripting.Python");
        foreach (var (level, message) in python.Notes)
        {
            startLogger.Log(level, "{Message}", message);
        }

        app.MapHealthEndpoints();
        app.MapDatabaseEndpoints();
        app.MapWriteEndpoints();
        app.MapQueryEndpoints();
        app.MapTriggerEndpoints();
        app.MapEngineEndpoints();
        app.MapPluginEnvironmentEndpoints();
        app.MapPluginEndpoints();
        app.MapTokenEndpoints();
        app.MapSecretEndpoints();
        app.MapFallback((HttpContext context) =>
            ErrorResponses.Error(StatusCodes.Status404NotFound, $"not found: {context.Request.Method} {context.Request.Path}"));

        // Open the store before the first request so a crash's write-ahead log is replayed at start-up.
        app.Services.GetRequiredService<DuckDbStorage>();
        var engine = app.Services.GetRequiredService<ProcessingEngine>();
        EngineSystemTables.Register(app.Services.GetRequiredService<SystemTables>(), app.Services.GetRequiredService<SchemaCatalog>(), app.Services.GetRequiredService<PluginLogStore>());
        app.Lifetime.ApplicationStarted.Register(() => engine.StartAsync().GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopping.Register(() => engine.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            app.Services.GetRequiredService<DuckDbStorage>().DisposeAsync().AsTask().GetAwaiter().GetResult();

            // Last: a clean exit, so the next start suspects no trigger.
            (journal as IDisposable)?.Dispose();
            dataDirectoryLock?.Dispose();
        });
        return app;
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

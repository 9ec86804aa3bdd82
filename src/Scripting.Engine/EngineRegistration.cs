using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scripting.Core.Catalog;
using Scripting.Core.Plugins;
using Scripting.Core.Queries;
using Scripting.Core.Writes;
using Scripting.Engine.Limits;
using Scripting.Engine.Local;
using Scripting.Engine.Logs;
using Scripting.Engine.Plugins;
using Scripting.Engine.Testing;
using Scripting.Engine.Triggers;

namespace Scripting.Engine;

public static class EngineRegistration
{
    /// <summary>
    /// The processing engine: triggers, the plugin loader and runner, logs, caches, dry runs and the plugin
    /// directory. It needs a store (<see cref="IWriteBuffer"/>, <see cref="IQueryExecutor"/>, commits announced
    /// on <see cref="WriteNotifier"/>, <see cref="SystemTables"/> served), a run journal and at least one
    /// <see cref="IPluginRuntime"/>. It starts once the store is open and drains its runs when the host stops.
    /// </summary>
    /// <param name="pluginDirectory">Where plugins live; null for a server without plugins.</param>
    public static IServiceCollection AddProcessingEngine(this IServiceCollection services, EngineOptions options, string? pluginDirectory)
    {
        services.TryAddSingleton<WriteNotifier>();
        services.TryAddSingleton<SystemTables>();
        services.AddSingleton(options);
        services.AddSingleton<IPluginMemoryGauge>(provider => new ProcessPluginMemoryGauge(provider.GetServices<IPluginRuntime>()));
        services.AddSingleton<MemoryGuard>();
        services.AddSingleton<PluginLogStore>();
        services.AddSingleton<PluginCacheStore>();
        services.TryAddSingleton<WritePath>();
        services.AddSingleton<PluginWriter>();
        services.AddSingleton(provider => new PluginLoader(
            pluginDirectory,
            provider.GetServices<IPluginRuntime>(),
            provider.GetRequiredService<PluginLogStore>(),
            provider.GetRequiredService<ILogger<PluginLoader>>()));
        services.AddSingleton<PluginRunner>();
        services.AddSingleton<PluginTester>();
        services.AddSingleton<PluginFiles>();
        services.AddSingleton<PluginListing>();
        services.AddSingleton<ProcessingEngine>();
        services.AddHostedService<EngineService>();
        return services;
    }

    /// <summary>Serves the engine's system tables and runs its triggers for the host's lifetime.</summary>
    private sealed class EngineService(ProcessingEngine engine, SystemTables tables, SchemaCatalog catalog, PluginLogStore logs, PluginLoader loader) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            EngineSystemTables.Register(tables, catalog, logs, loader);
            return engine.StartAsync();
        }

        public async Task StopAsync(CancellationToken cancellationToken) => await engine.DisposeAsync();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scripting.Core.Catalog;
using Scripting.Core.Queries;
using Scripting.Core.Security;
using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.Storage.Catalog;
using Scripting.Storage.DuckDb;
using Scripting.Storage.Runs;

namespace Scripting.Storage;

/// <summary>Where the store keeps things.</summary>
/// <param name="DataDirectory">Database files, the catalog, tokens, secrets and the run journal; null keeps everything in memory.</param>
/// <param name="QueryMemoryLimit">What one database's queries may hold; null for the store's default.</param>
/// <param name="SecretsKeyFile">The key secrets are sealed with, outside the data dir; null for the default location.</param>
public sealed record StorageSettings(string? DataDirectory, long? QueryMemoryLimit = null, string? SecretsKeyFile = null);

public static class StorageRegistration
{
    /// <summary>
    /// The embedded DuckDB store and the files beside it: it takes writes (<see cref="IWriteBuffer"/>),
    /// answers SQL (<see cref="ISqlEngine"/>), announces commits to <see cref="WriteNotifier"/> and serves
    /// the registered <see cref="SystemTables"/>. It opens at start (replaying what a crash left) and closes
    /// after everything registered later has stopped.
    /// </summary>
    public static IServiceCollection AddDuckDbStorage(this IServiceCollection services, StorageSettings settings)
    {
        var directory = settings.DataDirectory;
        services.TryAddSingleton<WriteNotifier>();
        services.TryAddSingleton<SystemTables>();
        services.AddSingleton<ICatalogPersistence>(_ => directory is null ? new MemoryCatalogPersistence() : new JsonCatalogPersistence(directory));
        services.AddSingleton<ITokenPersistence>(_ => directory is null ? new MemoryTokenPersistence() : new JsonTokenPersistence(directory));
        if (directory is null)
        {
            var memory = new MemorySecretPersistence();
            services.AddSingleton<ISecretPersistence>(memory).AddSingleton<ISecretKey>(memory);
        }
        else
        {
            services.AddSingleton<ISecretPersistence>(new JsonSecretPersistence(directory));
            services.AddSingleton<ISecretKey>(new SecretKeyFile(settings.SecretsKeyFile ?? SecretKeyFile.DefaultPath));
        }

        services.AddSingleton<IRunJournal>(_ => directory is null ? new NoRunJournal() : new RunJournal(directory));
        services.AddSingleton(provider => new DuckDbStorage(
            provider.GetRequiredService<SchemaCatalog>(),
            provider.GetRequiredService<WriteNotifier>(),
            provider.GetRequiredService<SystemTables>(),
            directory,
            provider.GetRequiredService<ILogger<DuckDbStorage>>(),
            settings.QueryMemoryLimit));
        services.AddSingleton<IWriteBuffer>(provider => provider.GetRequiredService<DuckDbStorage>());
        services.AddSingleton<ISqlEngine>(provider => provider.GetRequiredService<DuckDbStorage>());
        services.AddHostedService<StorageService>();
        return services;
    }

    /// <summary>Opens the store before the first request, so a crash's write-ahead log is replayed at start; closes it last.</summary>
    private sealed class StorageService(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<DuckDbStorage>();
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await services.GetRequiredService<DuckDbStorage>().DisposeAsync();

            // Last: a clean exit, so the next start suspects no trigger.
            (services.GetRequiredService<IRunJournal>() as IDisposable)?.Dispose();
        }
    }
}

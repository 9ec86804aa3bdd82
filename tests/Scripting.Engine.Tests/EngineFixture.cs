using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Queries;
using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.Engine.Limits;
using Scripting.Engine.Local;
using Scripting.Engine.Logs;
using Scripting.Engine.Plugins;
using Scripting.Engine.Triggers;

namespace Scripting.Engine.Tests;

/// <summary>An engine on a fake clock, a fake runtime, an in-memory catalog and a recording write buffer.</summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    private readonly string _plugins = TempDirectory.NewPath("engine");

    public EngineFixture(EngineOptions? options = null, IRunJournal? journal = null)
    {
        Journal = journal ?? new NoRunJournal();
        var sealedSecrets = new Scripting.Core.Security.MemorySecretPersistence();
        Secrets = new Scripting.Core.Security.SecretStore(sealedSecrets, sealedSecrets, Clock);
        Directory.CreateDirectory(_plugins);
        File.WriteAllText(Path.Combine(_plugins, "p.fake"), "fake");
        Catalog = new SchemaCatalog(new MemoryPersistence());
        Catalog.CreateDatabase("db");
        Logs = new PluginLogStore(Clock, NullLogger<PluginLogStore>.Instance);
        Caches = new PluginCacheStore(Clock);
        var loader = new PluginLoader(_plugins, [Runtime], Logs, NullLogger<PluginLoader>.Instance);
        MemoryGuard = new MemoryGuard(MemoryGauge, options ?? new EngineOptions(), Clock, NullLogger<MemoryGuard>.Instance);
        var runner = new PluginRunner(loader, Logs, new PluginWriter(new Core.Writes.WritePath(Catalog, Writes, Clock)), new NoQueries(), Caches, Clock, options ?? new EngineOptions(), MemoryGuard, Journal, Secrets);
        Engine = new ProcessingEngine(Catalog, runner, Logs, Caches, Notifier, Clock, options ?? new EngineOptions(), Journal, NullLogger<ProcessingEngine>.Instance);
    }

    public IRunJournal Journal { get; }

    public Scripting.Core.Security.SecretStore Secrets { get; }

    public ArmedTimers Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public FakeRuntime Runtime { get; } = new();
    public SchemaCatalog Catalog { get; }
    public PluginLogStore Logs { get; }
    public PluginCacheStore Caches { get; }
    public RecordingWriteBuffer Writes { get; } = new();
    public WriteNotifier Notifier { get; } = new();
    public ProcessingEngine Engine { get; }
    public FakeMemoryGauge MemoryGauge { get; } = new();
    public MemoryGuard MemoryGuard { get; }

    public void AddTrigger(string name, string specification, ErrorBehavior behavior = ErrorBehavior.Log, bool runAsync = false, Dictionary<string, string>? arguments = null) =>
        Catalog.CreateTrigger(new TriggerDefinition(name, "db", "p.fake", TriggerSpecification.Parse(specification, out _)!, new TriggerSettings(runAsync, behavior), arguments, Disabled: false));

    /// <summary>Announces <paramref name="lines"/> to write triggers as if they were just stored in "db".</summary>
    public void Commit(string lines)
    {
        var batch = new LineProtocolParser().Parse(lines, Precision.Nanosecond, 0);
        Notifier.Publish([WriteValidator.Validate(Catalog, "db", batch, acceptPartial: true)]);
    }

    public IEnumerable<string> LogTexts(string trigger) => Logs.Snapshot().Where(e => e.TriggerName == trigger).Select(e => $"{e.LevelName}: {e.Text}");

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        MemoryGuard.Dispose();
        Directory.Delete(_plugins, recursive: true);
    }

    private sealed class MemoryPersistence : ICatalogPersistence
    {
        private CatalogSnapshot? _snapshot;

        public CatalogSnapshot? Load() => _snapshot;

        public void Save(CatalogSnapshot snapshot) => _snapshot = snapshot;
    }

    private sealed class NoQueries : IQueryExecutor
    {
        public Task<QueryResult> QueryAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken = default) =>
            Task.FromResult(new QueryResult([], []));
    }
}

internal sealed class RecordingWriteBuffer : IWriteBuffer
{
    public List<ValidatedWrite> Written { get; } = [];

    /// <summary>When set, every write fails with it, as the store does when its disk fails.</summary>
    public Exception? Failure { get; set; }

    public Task WriteAsync(ValidatedWrite write, WriteOptions options, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            return Task.FromException(Failure);
        }

        lock (Written)
        {
            Written.Add(write);
        }

        return Task.CompletedTask;
    }
}

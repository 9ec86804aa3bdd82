using Microsoft.Extensions.Logging;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Plugins;
using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.Engine.Local;
using Scripting.Engine.Logs;
using Scripting.Engine.Plugins;
using Scripting.Engine.Requests;
using Scripting.Engine.Triggers;

namespace Scripting.Engine;

/// <summary>
/// The processing engine: keeps one running host per enabled trigger in step with the catalog, feeds
/// committed writes to write triggers, and routes <c>/api/v3/engine/PATH</c> requests.
/// </summary>
public sealed class ProcessingEngine(
    SchemaCatalog catalog,
    PluginRunner runner,
    PluginLogStore logs,
    PluginCacheStore caches,
    WriteNotifier notifier,
    TimeProvider time,
    EngineOptions options,
    IRunJournal journal,
    ILogger<ProcessingEngine> logger) : IAsyncDisposable
{
    private readonly Dictionary<(string Database, string Name), TriggerHost> _hosts = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Dictionary<string, WriteTriggerHost[]> _writeHosts = new(StringComparer.Ordinal);
    private volatile Dictionary<string, RequestTriggerHost> _requestHosts = new(StringComparer.Ordinal);
    private readonly TriggerServices _services = new(runner, logs, catalog, time, options);

    public PluginLogStore Logs => logs;

    /// <summary>Starts every enabled trigger and follows the catalog from now on.</summary>
    public async Task StartAsync()
    {
        Quarantine();
        catalog.TriggerChanged += OnTriggerChanged;
        catalog.DatabaseDeleted += OnDatabaseDeleted;
        foreach (var trigger in catalog.Triggers)
        {
            await SyncAsync(trigger.Database, trigger.Name);
        }
    }

    /// <summary>
    /// Crash-loop quarantine. A trigger that had a run in flight when the server ended uncleanly is a
    /// suspect; if the server ends uncleanly again with a run of it in flight, it is started disabled, so a
    /// plugin that takes the process down (a native crash in a library, say) cannot do it on every start.
    /// A clean exit clears the suspects.
    /// </summary>
    private void Quarantine()
    {
        var triggers = catalog.Triggers.Where(t => !t.Disabled).ToDictionary(t => new TriggerKey(t.Database, t.Name));
        if (journal.Unfinished(triggers.Keys) is not { } unfinished)
        {
            return;
        }

        var suspects = new HashSet<TriggerKey>();
        foreach (var key in unfinished)
        {
            if (journal.Suspects.Contains(key))
            {
                catalog.SetTriggerDisabled(key.Database, key.Name, disabled: true);
                var message = $"quarantined: a run of this trigger was in flight both times the server ended uncleanly in a row, so it was started disabled; fix its plugin, then enable it again with `scripting enable trigger --database {key.Database} {key.Name}`";
                logger.LogError("trigger '{Trigger}' in database '{Database}' {Message}", key.Name, key.Database, message);
                logs.Add(key.Name, PluginLogLevel.Error, message);
            }
            else
            {
                suspects.Add(key);
                logger.LogWarning(
                    "trigger '{Trigger}' in database '{Database}' had a run in flight when the server ended uncleanly; if that happens again, it will be started disabled",
                    key.Name,
                    key.Database);
            }
        }

        journal.Suspects = suspects;
    }

    /// <summary>
    /// Checks, before a trigger is created, that its plugin exists, loads, and defines the entry point
    /// its kind needs; throws a 400 that says what is wrong.
    /// </summary>
    public void Validate(string pluginFilename, TriggerSpecification specification)
    {
        var needed = specification.EntryPoint;
        try
        {
            using var lease = runner.Loader.Acquire(pluginFilename);
            if (!lease.Code.EntryPoints.HasFlag(needed))
            {
                throw new ScriptingException(ErrorKind.BadRequest, $"plugin '{pluginFilename}' cannot serve a '{specification}' trigger: {EntryPointSignatures.Missing(needed)}");
            }
        }
        catch (PluginLoadException error)
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"plugin '{pluginFilename}' does not load: {error.Message}");
        }
    }

    /// <summary>Runs the request trigger serving <paramref name="path"/>; null when no running trigger serves it.</summary>
    public async Task<PluginHttpResponse?> HandleRequestAsync(string path, RequestInput request)
    {
        if (!_requestHosts.TryGetValue(path.Trim('/'), out var host))
        {
            return null;
        }

        try
        {
            return ResponseConverter.Convert(await host.RequestAsync(request));
        }
        catch (PluginRunException error)
        {
            var message = error.RequestMessage ?? error.Message;
            logs.Add(host.Trigger.Name, PluginLogLevel.Error, $"error running request plugin: {message}{(error.Traceback is null ? string.Empty : "\n" + error.Traceback.TrimEnd())}");
            return ResponseConverter.Error(message);
        }
        catch (OperationCanceledException)
        {
            return ResponseConverter.Error("the trigger was stopped while the request waited", 503);
        }
    }

    private void OnTriggerChanged(string database, string name) => _ = SyncSafelyAsync(database, name);

    private void OnDatabaseDeleted(string database) => _ = StopDatabaseAsync(database);

    /// <summary>The hosts are read under the same gate that changes them, then each is brought in line.</summary>
    private async Task StopDatabaseAsync(string database)
    {
        List<string> names;
        await _gate.WaitAsync();
        try
        {
            names = _hosts.Keys.Where(k => k.Database == database).Select(k => k.Name).ToList();
        }
        finally
        {
            _gate.Release();
        }

        foreach (var name in names)
        {
            await SyncSafelyAsync(database, name);
        }
    }

    private async Task SyncSafelyAsync(string database, string name)
    {
        try
        {
            await SyncAsync(database, name);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            logger.LogError(error, "could not update trigger '{Trigger}' of database '{Database}'", name, database);
        }
    }

    /// <summary>Starts or stops the host of one trigger so it matches the catalog.</summary>
    private async Task SyncAsync(string database, string name)
    {
        await _gate.WaitAsync();
        try
        {
            var definition = catalog.Find(database)?.Triggers.GetValueOrDefault(name);
            var key = (database, name);
            _hosts.TryGetValue(key, out var running);
            if (running is not null && (definition is null || definition.Disabled || definition != running.Trigger))
            {
                _hosts.Remove(key);
                Publish();
                await running.DisposeAsync();
                caches.Clear(database, name);
                running = null;
            }

            if (running is null && definition is { Disabled: false })
            {
                _hosts[key] = TriggerHost.Start(definition, _services);
                Publish();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rebuilds the lookup tables readers use without locks; subscribes to commits only while a write trigger runs.</summary>
    private void Publish()
    {
        var writeHosts = _hosts.Values.OfType<WriteTriggerHost>()
            .GroupBy(h => h.Trigger.Database, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _requestHosts = _hosts.Values.OfType<RequestTriggerHost>()
            .ToDictionary(h => h.Trigger.Specification.Value, StringComparer.Ordinal);
        var had = _writeHosts.Count > 0;
        _writeHosts = writeHosts;
        if (!had && writeHosts.Count > 0)
        {
            notifier.Committed += OnCommitted;
        }
        else if (had && writeHosts.Count == 0)
        {
            notifier.Committed -= OnCommitted;
        }
    }

    private void OnCommitted(IReadOnlyList<ValidatedWrite> writes)
    {
        var hosts = _writeHosts;
        foreach (var database in writes.GroupBy(w => w.Database, StringComparer.Ordinal))
        {
            if (hosts.TryGetValue(database.Key, out var targets))
            {
                var group = database.ToList();
                foreach (var host in targets)
                {
                    host.Enqueue(group);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        catalog.TriggerChanged -= OnTriggerChanged;
        catalog.DatabaseDeleted -= OnDatabaseDeleted;
        notifier.Committed -= OnCommitted;
        // Shutdown drains: runs in progress and queued write groups finish (their writes land), all triggers at once.
        await Task.WhenAll(_hosts.Values.Select(host => host.DrainAsync(options.ShutdownGrace)));
        _hosts.Clear();
    }
}

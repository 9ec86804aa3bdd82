using System.Threading.Channels;
using Scripting.Core.Catalog;
using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.Engine.Logs;
using Scripting.Engine.Scheduling;
using Scripting.PluginApi;

namespace Scripting.Engine.Triggers;

/// <summary>
/// One enabled trigger: its write queue or schedule loop, its error behaviour, and its request gate.
/// Write triggers get committed writes through a bounded queue, so a slow or stuck plugin never slows
/// ingest; when the queue is full the newest writes are dropped for this trigger and that is logged.
/// </summary>
internal sealed class TriggerHost : IAsyncDisposable
{
    private readonly PluginRunner _runner;
    private readonly PluginLogStore _logs;
    private readonly SchemaCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _intake = new();
    private readonly Channel<IReadOnlyList<ValidatedWrite>>? _writes;
    private readonly SemaphoreSlim _requestGate = new(1, 1);
    private readonly Task _loop;
    private long _dropped;

    public TriggerHost(TriggerDefinition trigger, PluginRunner runner, PluginLogStore logs, SchemaCatalog catalog, TimeProvider time, EngineOptions options)
    {
        Trigger = trigger;
        _runner = runner;
        _logs = logs;
        _catalog = catalog;
        _time = time;
        _options = options;
        if (trigger.Specification.IsWrites)
        {
            _writes = Channel.CreateBounded<IReadOnlyList<ValidatedWrite>>(new BoundedChannelOptions(options.WriteQueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _loop = Task.Run(WriteLoopAsync);
        }
        else if (trigger.Specification.IsSchedule)
        {
            var loop = new ScheduleLoop(trigger.Specification, trigger.Settings.RunAsync, time, fireTime => RunWithBehaviorAsync(new ScheduleInvocation(fireTime)));
            _loop = Task.Run(() => loop.RunAsync(_intake.Token));
        }
        else
        {
            _loop = Task.CompletedTask;
        }
    }

    public TriggerDefinition Trigger { get; }

    /// <summary>Hands a committed write group to the trigger; never blocks.</summary>
    public void Enqueue(IReadOnlyList<ValidatedWrite> writes)
    {
        if (_writes is null)
        {
            return;
        }

        if (writes.Any(w => w.Generation >= _options.MaxWriteGenerations))
        {
            var looping = writes.Where(w => w.Generation >= _options.MaxWriteGenerations).ToList();
            _logs.Add(Trigger.Name, PluginLogLevel.Warn,
                $"{looping.Sum(w => w.RowCount)} rows written by plugins {looping.Max(w => w.Generation)} runs after a client's write were stored but not delivered to trigger '{Trigger.Name}': " +
                "a plugin is probably writing to a table it is triggered by (feedback loop); filter its own output");
            writes = writes.Where(w => w.Generation < _options.MaxWriteGenerations).ToList();
            if (writes.Count == 0)
            {
                return;
            }
        }

        foreach (var write in writes)
        {
            write.Retain();
        }

        if (_writes.Writer.TryWrite(writes))
        {
            return;
        }

        Release(writes);
        if (!_stopping.IsCancellationRequested)
        {
            var rows = writes.Sum(w => w.RowCount);
            var dropped = Interlocked.Add(ref _dropped, rows);
            _logs.Add(Trigger.Name, PluginLogLevel.Warn, $"write queue of trigger '{Trigger.Name}' is full ({_options.WriteQueueCapacity} groups waiting); {rows} rows not delivered to it ({dropped} so far)");
        }
    }

    /// <summary>Runs the request plugin; one at a time unless the trigger runs asynchronously.</summary>
    public async Task<object?> RequestAsync(Core.Plugins.RequestInput request)
    {
        if (Trigger.Settings.RunAsync)
        {
            return await _runner.RunAsync(Trigger, new RequestInvocation(request), _stopping.Token);
        }

        await _requestGate.WaitAsync(_stopping.Token);
        try
        {
            return await _runner.RunAsync(Trigger, new RequestInvocation(request), _stopping.Token);
        }
        finally
        {
            _requestGate.Release();
        }
    }

    private async Task WriteLoopAsync()
    {
        var running = new List<Task>();
        try
        {
            await foreach (var group in _writes!.Reader.ReadAllAsync(_stopping.Token))
            {
                var batches = TableBatches.From(group, Trigger.Specification);
                if (batches.Count == 0)
                {
                    Release(group);
                    continue;
                }

                var run = RunAndReleaseAsync(batches, group);
                if (Trigger.Settings.RunAsync)
                {
                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(run);
                }
                else
                {
                    await run;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
        while (_writes!.Reader.TryRead(out var left))
        {
            Release(left);
        }
    }

    /// <summary>After the run the committed batch may be reused, so rows not read by then are detached.</summary>
    private async Task RunAndReleaseAsync(List<TableBatch> batches, IReadOnlyList<ValidatedWrite> group)
    {
        try
        {
            await RunWithBehaviorAsync(new WritesInvocation(batches) { Generation = group.Max(w => w.Generation) });
        }
        finally
        {
            TableBatches.Detach(batches);
            Release(group);
        }
    }

    private static void Release(IReadOnlyList<ValidatedWrite> writes)
    {
        foreach (var write in writes)
        {
            write.Release();
        }
    }

    /// <summary>Runs once, then applies <c>error_behavior</c>: log, retry with capped exponential backoff, or disable.</summary>
    private async Task RunWithBehaviorAsync(Invocation invocation)
    {
        var delay = _options.RetryFirstDelay;
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await _runner.RunAsync(Trigger, invocation, _stopping.Token);
                return;
            }
            catch (PluginRunException error)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                _logs.Add(Trigger.Name, PluginLogLevel.Error, $"error executing {invocation.Kind}: {error.Logged}");
                switch (Trigger.Settings.ErrorBehavior)
                {
                    case ErrorBehavior.Retry:
                        try
                        {
                            // The timer is armed before the line is logged, so whoever reads the log may move the clock.
                            var wait = Task.Delay(delay, _time, _stopping.Token);
                            _logs.Add(Trigger.Name, PluginLogLevel.Warn, $"retrying in {PluginRunner.Describe(delay)} (attempt {attempt + 1})");
                            await wait;
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }

                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMaxDelay.Ticks));
                        continue;
                    case ErrorBehavior.Disable:
                        _logs.Add(Trigger.Name, PluginLogLevel.Error, $"trigger '{Trigger.Name}' disabled after an error (error_behavior=disable); enable it again with `enable trigger`");
                        _ = Task.Run(() => _catalog.SetTriggerDisabled(Trigger.Database, Trigger.Name, true));
                        return;
                    default:
                        return;
                }
            }
        }
    }

    /// <summary>
    /// Shutdown: takes no new work, lets the run in progress and the write groups already queued finish
    /// (their writes land) for up to <paramref name="grace"/>, then stops as <see cref="DisposeAsync"/> does.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        await _intake.CancelAsync();
        _writes?.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            _logs.Add(Trigger.Name, PluginLogLevel.Warn, $"trigger '{Trigger.Name}' did not finish its work within {PluginRunner.Describe(grace)} of shutdown; its run is stopped");
        }

        await DisposeAsync();
    }

    /// <summary>Stops at once (disable, delete, or the end of a drain): a run in progress is cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _intake.CancelAsync();
        await _stopping.CancelAsync();
        _writes?.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(_options.DefaultRunTimeout + _options.AbandonGrace);
        }
        catch (TimeoutException)
        {
        }

        _requestGate.Dispose();
    }
}

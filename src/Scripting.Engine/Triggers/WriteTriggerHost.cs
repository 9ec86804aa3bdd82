using System.Threading.Channels;
using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.Engine.Logs;
using Scripting.PluginApi;

namespace Scripting.Engine.Triggers;

/// <summary>
/// A write trigger (<c>table:NAME</c>, <c>all_tables</c>): committed writes come through a bounded queue,
/// so a slow or stuck plugin never slows ingest; when the queue is full the newest writes are dropped for
/// this trigger and that is logged.
/// </summary>
internal sealed class WriteTriggerHost : TriggerHost
{
    private readonly Channel<IReadOnlyList<ValidatedWrite>> _writes;
    private long _dropped;

    public WriteTriggerHost(TriggerDefinition trigger, TriggerServices services)
        : base(trigger, services)
    {
        _writes = Channel.CreateBounded<IReadOnlyList<ValidatedWrite>>(new BoundedChannelOptions(services.Options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Hands a committed write group to the trigger; never blocks.</summary>
    public void Enqueue(IReadOnlyList<ValidatedWrite> writes)
    {
        var (logs, options) = (Services.Logs, Services.Options);
        if (writes.Any(w => w.Generation >= options.MaxWriteGenerations))
        {
            var looping = writes.Where(w => w.Generation >= options.MaxWriteGenerations).ToList();
            logs.Add(Trigger.Name, PluginLogLevel.Warn,
                $"{looping.Sum(w => w.RowCount)} rows written by plugins {looping.Max(w => w.Generation)} runs after a client's write were stored but not delivered to trigger '{Trigger.Name}': " +
                "a plugin is probably writing to a table it is triggered by (feedback loop); filter its own output");
            writes = writes.Where(w => w.Generation < options.MaxWriteGenerations).ToList();
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
        if (!Stopping.IsCancellationRequested)
        {
            var rows = writes.Sum(w => w.RowCount);
            var dropped = Interlocked.Add(ref _dropped, rows);
            logs.Add(Trigger.Name, PluginLogLevel.Warn, $"write queue of trigger '{Trigger.Name}' is full ({options.WriteQueueCapacity} groups waiting); {rows} rows not delivered to it ({dropped} so far)");
        }
    }

    protected override Task RunAsync() => Task.Run(WriteLoopAsync);

    protected override void CloseIntake() => _writes.Writer.TryComplete();

    private async Task WriteLoopAsync()
    {
        var running = new List<Task>();
        try
        {
            await foreach (var group in _writes.Reader.ReadAllAsync(Stopping.Token))
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
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
        while (_writes.Reader.TryRead(out var left))
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
}

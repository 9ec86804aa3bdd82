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
            _loop = Task.Run(() => loop.RunAsync(_stopping.Token));
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
            await RunWithBehaviorAsync(new WritesInvocation(batches));
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

                _logs.Add(Trigger.Name, PluginLogLevel.Error, $"error executing {invocation.Kind}: {error.Message}");
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _writes?.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(_options.DefaultRunTimeout + _options.AbandonGrace);
        }
        catch (TimeoutException)
        {
        }

        _stopping.Dispose();
        _requestGate.Dispose();
    }
}

/// <summary>Committed rows as <c>table_batches</c>: per table, rows of tags, fields and <c>time</c> in nanoseconds.</summary>
internal static class TableBatches
{
    public static List<TableBatch> From(IReadOnlyList<ValidatedWrite> group, TriggerSpecification specification)
    {
        var tables = new Dictionary<string, RowList>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var write in group)
        {
            foreach (var table in write.Tables)
            {
                var name = table.Schema.Name;
                if (specification.Kind == TriggerKind.Table && !string.Equals(name, specification.Value, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!tables.TryGetValue(name, out var rows))
                {
                    tables[name] = rows = new RowList();
                    order.Add(name);
                }

                rows.Add(write, table);
            }
        }

        return order.Select(name => new TableBatch(name, tables[name])).ToList();
    }

    public static void Detach(List<TableBatch> batches)
    {
        foreach (var batch in batches)
        {
            ((RowList)batch.Rows).Detach();
        }
    }

    /// <summary>
    /// The rows of one table, built into dictionaries only when the plugin reads them: a plugin that
    /// looks at a few rows, or none, does not pay for the whole batch.
    /// </summary>
    private sealed class RowList : IReadOnlyList<IReadOnlyDictionary<string, object?>>
    {
        private readonly List<(ValidatedWrite Write, TableWrite Table, int Start)> _segments = [];
        private IReadOnlyDictionary<string, object?>?[]? _rows;
        private bool _detached;

        public int Count { get; private set; }

        /// <summary>Rows read during the run stay readable; others can no longer be built once the batch is reused.</summary>
        public void Detach() => _detached = true;

        public void Add(ValidatedWrite write, TableWrite table)
        {
            _segments.Add((write, table, Count));
            Count += table.PointIndexes.Count;
        }

        public IReadOnlyDictionary<string, object?> this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                _rows ??= new IReadOnlyDictionary<string, object?>?[Count];
                if (_rows[index] is null && _detached)
                {
                    throw new InvalidOperationException("rows of table_batches can be read only during the run that received them; copy them (for example with ToList()) to keep them");
                }

                return _rows[index] ??= Build(index);
            }
        }

        public IEnumerator<IReadOnlyDictionary<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private Dictionary<string, object?> Build(int index)
        {
            var segment = _segments[^1];
            for (var s = 1; s < _segments.Count; s++)
            {
                if (_segments[s].Start > index)
                {
                    segment = _segments[s - 1];
                    break;
                }
            }

            var batch = segment.Write.Batch;
            var point = batch.Points[segment.Table.PointIndexes[index - segment.Start]];
            var row = new Dictionary<string, object?>(point.TagCount + point.FieldCount + 1, StringComparer.Ordinal);
            foreach (var tag in batch.TagsOf(point))
            {
                row[tag.Key] = tag.Value;
            }

            foreach (var field in batch.FieldsOf(point))
            {
                row[field.Key] = field.Value.ToObject();
            }

            row["time"] = point.TimeNanoseconds;
            return row;
        }
    }
}

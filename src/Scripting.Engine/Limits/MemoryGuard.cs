using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Scripting.Engine.Triggers;

namespace Scripting.Engine.Limits;

/// <summary>
/// Stops plugin runs when plugin memory passes the limit (<c>--plugin-memory-limit</c>).
///
/// Design note. Problem: a plugin that allocates without bound would take the server's memory, then the
/// server. Constraint: one process holds every plugin and the store, and .NET cannot cap the memory of one
/// thread or one piece of code. Design: while runs are in progress, the guard measures plugin memory every
/// <see cref="EngineOptions.MemoryCheckInterval"/>; past the limit it first reclaims garbage and measures
/// again, and if still past it cancels every run in progress (the one allocating is among them; which one it
/// is cannot be told apart). The runtimes stop a cancelled run as they stop one at its deadline, its objects
/// become garbage, and each stopped run fails with the reason, so error_behavior applies (retry backs off,
/// disable stops the trigger). A single native operation that allocates gigabytes at once (one huge
/// bytes multiplication) cannot be stopped midway; the check between operations is what the limit can do.
/// </summary>
public sealed class MemoryGuard : IDisposable
{
    private readonly ConcurrentDictionary<Watch, byte> _runs = new();
    private readonly IPluginMemoryGauge _gauge;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private int _checking;

    public MemoryGuard(IPluginMemoryGauge gauge, EngineOptions options, TimeProvider time, ILogger<MemoryGuard> logger)
    {
        _gauge = gauge;
        _logger = logger;
        Limit = options.PluginMemoryLimit;
        if (Limit is not null)
        {
            _timer = time.CreateTimer(_ => Check(), null, options.MemoryCheckInterval, options.MemoryCheckInterval);
        }
    }

    /// <summary>Bytes of plugin memory above which runs are stopped; null for no limit.</summary>
    public long? Limit { get; }

    /// <summary>Watches one run from now until the returned watch is disposed.</summary>
    public Watch Start(string trigger)
    {
        var watch = new Watch(this, trigger);
        if (Limit is not null)
        {
            _runs.TryAdd(watch, 0);
        }

        return watch;
    }

    /// <summary>One check; the timer calls it, tests call it directly.</summary>
    internal void Check()
    {
        if (_runs.IsEmpty || Limit is not { } limit || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            if (_gauge.Measure(collectFirst: false) <= limit)
            {
                return;
            }

            var used = _gauge.Measure(collectFirst: true);
            if (used <= limit)
            {
                return;
            }

            var stopped = _runs.Keys.ToList();
            var reason = $"run stopped: plugin memory reached {Mebibytes(used)} MiB, over the limit of {Mebibytes(limit)} MiB (--plugin-memory-limit); every run in progress was stopped";
            _logger.LogWarning("plugin memory at {Used} MiB is over the limit of {Limit} MiB: stopping {Count} run(s) in progress ({Triggers})", Mebibytes(used), Mebibytes(limit), stopped.Count, string.Join(", ", stopped.Select(w => w.Trigger).Distinct()));
            foreach (var watch in stopped)
            {
                watch.Stop(reason);
            }
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private static long Mebibytes(long bytes) => bytes / (1024 * 1024);

    /// <summary>One run under the guard: its token is cancelled when the guard stops it.</summary>
    public sealed class Watch(MemoryGuard guard, string trigger) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public string Trigger { get; } = trigger;

        public CancellationToken Token => _stop.Token;

        /// <summary>Why the guard stopped the run; null while it has not.</summary>
        public string? StopReason { get; private set; }

        internal void Stop(string reason)
        {
            StopReason = reason;
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            guard._runs.TryRemove(this, out _);
            _stop.Dispose();
        }
    }
}

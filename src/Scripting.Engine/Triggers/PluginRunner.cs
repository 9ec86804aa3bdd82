using System.Diagnostics;
using System.Reflection;
using Scripting.Core.Errors;
using Scripting.Core.Plugins;
using Scripting.Core.Queries;
using Scripting.Core.Security;
using Scripting.Core.Triggers;
using Scripting.Engine.Limits;
using Scripting.Engine.Local;
using Scripting.Engine.Logs;
using Scripting.Engine.Plugins;

namespace Scripting.Engine.Triggers;

/// <summary>
/// Runs one invocation of a trigger's plugin.
///
/// Deadline design. Problem: .NET cannot abort a thread, and a plugin may loop forever. Constraint: the
/// trigger, and the server, must go on. Design: each run executes on a pool thread with a cancellation
/// token that fires at the deadline; the language runtimes make plugin code observe it (the C# runtime
/// inserts checks at loop back-edges and method entries). The deadline counts from when the run starts on
/// its thread, so time spent waiting for a thread under load is not charged to the plugin. The engine
/// waits for the run until the deadline plus a short grace period; a run still going then is abandoned
/// (its thread is left to finish on its own, its writes discarded) and logged, and the trigger moves on.
/// </summary>
public sealed class PluginRunner(PluginLoader loader, PluginLogStore logs, PluginWriter writer, IQueryExecutor queries, PluginCacheStore caches, TimeProvider time, EngineOptions options, MemoryGuard memoryGuard, IRunJournal journal, SecretStore secrets)
{
    public PluginLoader Loader => loader;

    /// <returns>What a request plugin returned; null for other kinds.</returns>
    /// <exception cref="PluginRunException">The run failed; the message says why.</exception>
    public async Task<object?> RunAsync(TriggerDefinition trigger, Invocation invocation, CancellationToken stopping)
    {
        logs.Add(trigger.Name, PluginLogLevel.Info, invocation.StartMessage);
        var started = Stopwatch.GetTimestamp();

        // In flight until it ends, however it ends: if the process dies meanwhile, the next start knows.
        using var inFlight = journal.Begin(new TriggerKey(trigger.Database, trigger.Name));
        var (result, local) = await ExecuteAsync(trigger.PluginFilename, trigger.Arguments, invocation,
            (lease, cancellation) => new InfluxDb3Local(trigger.Database, trigger.Name, logs, writer, queries, caches.For(trigger.Database, trigger.Name, lease.Language), cancellation, invocation.Generation + 1),
            stopping);
        await local.FlushAsync(invocation.Kind);
        logs.Add(trigger.Name, PluginLogLevel.Info, $"finished execution in {Describe(Stopwatch.GetElapsedTime(started))}");
        return result;
    }

    /// <summary>
    /// Runs one invocation with the <c>influxdb3_local</c> that <paramref name="createLocal"/> makes for the
    /// leased version, under the run's deadline; the caller decides what happens to its queued writes.
    /// </summary>
    /// <exception cref="PluginRunException">The run failed; the message says why.</exception>
    public async Task<(object? Result, InfluxDb3Local Local)> ExecuteAsync(
        string pluginFilename,
        IReadOnlyDictionary<string, string>? arguments,
        Invocation invocation,
        Func<PluginLoader.PluginLease, CancellationToken, InfluxDb3Local> createLocal,
        CancellationToken stopping)
    {
        try
        {
            // ${secret:NAME} references become values here, for the plugin's eyes only.
            arguments = secrets.Resolve(arguments);
        }
        catch (ScriptingException error)
        {
            throw new PluginRunException(error.Message);
        }

        var timeout = Timeout(arguments);
        // Armed when the run starts: a run waiting for a thread has not used any of its time yet.
        using var deadline = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, time);
        PluginLoader.PluginLease lease;
        try
        {
            lease = loader.Acquire(pluginFilename);
        }
        catch (Exception error) when (error is PluginLoadException or ScriptingException)
        {
            throw new PluginRunException(error.Message);
        }

        using var memory = memoryGuard.Start(pluginFilename);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token, memory.Token);
        var local = createLocal(lease, linked.Token);

        // How long the engine waits: until the run starts, a bound for a run that cannot get a thread; from its
        // start, its deadline plus a grace, or only the grace once the memory guard has stopped it.
        var startBound = (timeout + options.AbandonGrace) * 2;
        using var patience = new CancellationTokenSource(startBound, time);
        using var memoryStop = memory.Token.Register(() => patience.CancelAfter(options.AbandonGrace));
        var started = 0;

        // Runs go to the thread pool: a thread per run would cost more than a trivial plugin does. A run
        // abandoned at its deadline keeps its pool thread until it ends, and the pool grows around it.
        var run = Task.Run(() =>
        {
            using (lease)
            {
                try
                {
                    deadline.CancelAfter(timeout);
                    if (!memory.Token.IsCancellationRequested)
                    {
                        patience.CancelAfter(timeout + options.AbandonGrace);
                    }
                }
                catch (ObjectDisposedException)
                {
                    return null; // the engine stopped waiting before the run could start
                }

                Volatile.Write(ref started, 1);
                return Invoke(lease.Code, local, arguments, invocation, linked.Token);
            }
        });

        try
        {
            return (await run.WaitAsync(patience.Token), local);
        }
        catch (OperationCanceledException) when (!run.IsCompleted && Volatile.Read(ref started) == 0)
        {
            throw new PluginRunException($"run did not start within {Describe(startBound)}: no thread was free to run it; it was abandoned");
        }
        catch (OperationCanceledException) when (!run.IsCompleted)
        {
            throw new PluginRunException(memory.StopReason is { } reason
                ? $"{reason}; this run did not stop and was abandoned, its writes discarded"
                : $"run exceeded its deadline of {Describe(timeout)} and did not stop; it was abandoned and its writes discarded");
        }
        catch (OperationCanceledException) when (memory.StopReason is { } reason)
        {
            throw new PluginRunException(reason);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new PluginRunException($"run exceeded its deadline of {Describe(timeout)} and was stopped");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw new PluginRunException("run stopped because the trigger was stopped");
        }
        catch (PluginCodeException error)
        {
            throw new PluginRunException(error.Message, error.Traceback, error.RequestMessage);
        }
        catch (Exception error) when (error is not PluginRunException)
        {
            var inner = error is TargetInvocationException { InnerException: { } wrapped } ? wrapped : error;
            throw new PluginRunException($"{inner.GetType().Name}: {inner.Message}");
        }
    }

    private static object? Invoke(IPluginCode code, InfluxDb3Local local, IReadOnlyDictionary<string, string>? arguments, Invocation invocation, CancellationToken cancellation)
    {
        if (!code.EntryPoints.HasFlag(invocation.EntryPoint))
        {
            throw new PluginRunException(EntryPointSignatures.Missing(invocation.EntryPoint));
        }

        switch (invocation)
        {
            case WritesInvocation writes:
                code.ProcessWrites(local, writes.Batches, arguments, cancellation);
                return null;
            case ScheduleInvocation schedule:
                code.ProcessScheduledCall(local, schedule.CallTime.UtcDateTime, arguments, cancellation);
                return null;
            case RequestInvocation request:
                return code.ProcessRequest(local, request.Request, arguments, cancellation);
            default:
                throw new ArgumentOutOfRangeException(nameof(invocation));
        }
    }

    private TimeSpan Timeout(IReadOnlyDictionary<string, string>? arguments) =>
        arguments?.TryGetValue("run_timeout", out var text) == true && EveryDuration.Parse(text, out _) is { } custom
            ? custom
            : options.DefaultRunTimeout;

    /// <summary>A humantime-style rendering: "2s 15ms", "845us 120ns".</summary>
    public static string Describe(TimeSpan duration)
    {
        var nanoseconds = duration.Ticks * 100;
        if (nanoseconds == 0)
        {
            return "0ns";
        }

        var parts = new List<string>();
        foreach (var (unit, size) in new[] { ("h", 3_600_000_000_000L), ("m", 60_000_000_000L), ("s", 1_000_000_000L), ("ms", 1_000_000L), ("us", 1_000L), ("ns", 1L) })
        {
            if (nanoseconds >= size)
            {
                parts.Add($"{nanoseconds / size}{unit}");
                nanoseconds %= size;
            }
        }

        return string.Join(' ', parts);
    }
}

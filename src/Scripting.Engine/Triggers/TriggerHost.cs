using Scripting.Core.Catalog;
using Scripting.Core.Triggers;
using Scripting.Engine.Logs;
using Scripting.PluginApi;

namespace Scripting.Engine.Triggers;

/// <summary>What a trigger host needs from the engine.</summary>
internal sealed record TriggerServices(PluginRunner Runner, PluginLogStore Logs, SchemaCatalog Catalog, TimeProvider Time, EngineOptions Options);

/// <summary>
/// One enabled trigger: what its kind does (<see cref="WriteTriggerHost"/>, <see cref="ScheduleTriggerHost"/>,
/// <see cref="RequestTriggerHost"/>), and what every kind shares: the error behaviour of a run, and stopping
/// (a drain at shutdown, at once on disable or delete).
/// </summary>
internal abstract class TriggerHost : IAsyncDisposable
{
    private Task _loop = Task.CompletedTask;

    protected TriggerHost(TriggerDefinition trigger, TriggerServices services)
    {
        Trigger = trigger;
        Services = services;
    }

    public TriggerDefinition Trigger { get; }

    protected TriggerServices Services { get; }

    /// <summary>Cancelled when the host stops taking work (the start of a drain, or a stop).</summary>
    protected CancellationTokenSource Intake { get; } = new();

    /// <summary>Cancelled when the host stops: a run in progress is cancelled.</summary>
    protected CancellationTokenSource Stopping { get; } = new();

    /// <summary>The host of <paramref name="trigger"/>'s kind, started.</summary>
    public static TriggerHost Start(TriggerDefinition trigger, TriggerServices services)
    {
        TriggerHost host = trigger.Specification switch
        {
            { IsWrites: true } => new WriteTriggerHost(trigger, services),
            { IsSchedule: true } => new ScheduleTriggerHost(trigger, services),
            _ => new RequestTriggerHost(trigger, services),
        };
        host._loop = host.RunAsync();
        return host;
    }

    /// <summary>The host's work until it stops; completed at once for a host that only answers calls.</summary>
    protected virtual Task RunAsync() => Task.CompletedTask;

    /// <summary>Stops taking new work; what was taken may finish.</summary>
    protected virtual void CloseIntake()
    {
    }

    /// <summary>Runs once, then applies <c>error_behavior</c>: log, retry with capped exponential backoff, or disable.</summary>
    protected async Task RunWithBehaviorAsync(Invocation invocation)
    {
        var (runner, logs, options) = (Services.Runner, Services.Logs, Services.Options);
        var delay = options.RetryFirstDelay;
        for (var attempt = 1; !Stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await runner.RunAsync(Trigger, invocation, Stopping.Token);
                return;
            }
            catch (PluginRunException error)
            {
                if (Stopping.IsCancellationRequested)
                {
                    return;
                }

                logs.Add(Trigger.Name, PluginLogLevel.Error, $"error executing {invocation.Kind}: {error.Logged}");
                switch (Trigger.Settings.ErrorBehavior)
                {
                    case ErrorBehavior.Retry when await WaitToRetryAsync(delay, attempt):
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.RetryMaxDelay.Ticks));
                        continue;
                    case ErrorBehavior.Disable:
                        logs.Add(Trigger.Name, PluginLogLevel.Error, $"trigger '{Trigger.Name}' disabled after an error (error_behavior=disable); enable it again with `enable trigger`");
                        _ = Task.Run(() => Services.Catalog.SetTriggerDisabled(Trigger.Database, Trigger.Name, true));
                        return;
                    default:
                        return;
                }
            }
        }
    }

    /// <summary>Waits out a retry's backoff; false when the host stopped meanwhile.</summary>
    private async Task<bool> WaitToRetryAsync(TimeSpan delay, int attempt)
    {
        try
        {
            // The timer is armed before the line is logged, so whoever reads the log may move the clock.
            var wait = Task.Delay(delay, Services.Time, Stopping.Token);
            Services.Logs.Add(Trigger.Name, PluginLogLevel.Warn, $"retrying in {PluginRunner.Describe(delay)} (attempt {attempt + 1})");
            await wait;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Shutdown: takes no new work, lets the run in progress and the work already taken finish (writes land)
    /// for up to <paramref name="grace"/>, then stops as <see cref="DisposeAsync"/> does.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        await Intake.CancelAsync();
        CloseIntake();
        try
        {
            await _loop.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            Services.Logs.Add(Trigger.Name, PluginLogLevel.Warn, $"trigger '{Trigger.Name}' did not finish its work within {PluginRunner.Describe(grace)} of shutdown; its run is stopped");
        }

        await DisposeAsync();
    }

    /// <summary>Stops at once (disable, delete, or the end of a drain): a run in progress is cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Stopping.IsCancellationRequested)
        {
            return;
        }

        await Intake.CancelAsync();
        await Stopping.CancelAsync();
        CloseIntake();
        try
        {
            await _loop.WaitAsync(Services.Options.DefaultRunTimeout + Services.Options.AbandonGrace);
        }
        catch (TimeoutException)
        {
        }

        Stopped();
    }

    /// <summary>Releases what the host holds once it has stopped.</summary>
    protected virtual void Stopped()
    {
    }
}

using Scripting.Core.Triggers;

namespace Scripting.Engine.Scheduling;

/// <summary>
/// Drives one schedule trigger on a <see cref="TimeProvider"/> (a fake clock in tests).
/// With <c>run_async=false</c> a run is awaited before the next fire time is computed, so runs never
/// overlap and fire times missed meanwhile collapse into one run; with <c>run_async=true</c> every fire
/// time starts a run at once, overlapping if needed.
/// </summary>
internal sealed class ScheduleLoop(TriggerSpecification specification, bool runAsync, TimeProvider time, Func<DateTimeOffset, Task> run)
{
    /// <summary>Called once the loop's timer for a fire time is armed, so a fake clock can be advanced safely.</summary>
    public Action<DateTimeOffset>? Waiting { get; init; }

    public async Task RunAsync(CancellationToken stopping)
    {
        var next = FireTimes.Next(specification, time.GetUtcNow());
        var running = new List<Task>();
        while (next is { } fireTime && !stopping.IsCancellationRequested)
        {
            var wait = fireTime - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    var delay = Task.Delay(wait, time, stopping);
                    Waiting?.Invoke(fireTime);
                    await delay;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            if (runAsync)
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(() => run(fireTime), CancellationToken.None));
                next = FireTimes.Next(specification, fireTime);
            }
            else
            {
                await run(fireTime);
                next = FireTimes.AfterRun(specification, fireTime, time.GetUtcNow());
            }
        }

        await Task.WhenAll(running);
    }
}

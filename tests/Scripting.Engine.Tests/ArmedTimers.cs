using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Scripting.Engine.Tests;

/// <summary>A fake clock that tells the test each timer it arms, so the test moves time exactly when the code waits.</summary>
internal sealed class ArmedTimers(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _armed.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Forgets the timers armed so far (those of components started before the scenario).</summary>
    public void ForgetArmed()
    {
        while (_armed.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Waits for the next timer armed with <paramref name="dueTime"/> (timers of other durations are skipped).</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var safety = new CancellationTokenSource(Eventually.DefaultDeadline);
        while (await _armed.Reader.ReadAsync(safety.Token) != dueTime)
        {
        }
    }
}

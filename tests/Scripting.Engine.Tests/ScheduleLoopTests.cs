using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Scripting.Core.Triggers;
using Scripting.Engine.Scheduling;

namespace Scripting.Engine.Tests;

public sealed class ScheduleLoopTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 5, TimeSpan.Zero);

    private static TriggerSpecification Spec(string text) => TriggerSpecification.Parse(text, out _)!;

    [Fact]
    public async Task EveryTrigger_ClockAdvancesTwoPeriods_FiresTwiceAtEpochAlignedTimes()
    {
        var harness = new Harness("every:10s", runAsync: false);

        await harness.AdvanceToNextAsync(Start.AddSeconds(5));
        await harness.AdvanceToNextAsync(Start.AddSeconds(15));

        await Eventually.ValueAsync(() => harness.Calls.Count, c => c == 2, "two runs");
        harness.Calls.ShouldBe([Start.AddSeconds(5), Start.AddSeconds(15)]);
        await harness.StopAsync();
    }

    [Fact]
    public async Task SyncTrigger_RunOverrunsSeveralPeriods_MissedTimesCoalesceIntoOneRun()
    {
        var harness = new Harness("every:10s", runAsync: false, blockFirstRun: true);

        await harness.AdvanceToNextAsync(Start.AddSeconds(5));
        await Eventually.ValueAsync(() => harness.Calls.Count, c => c == 1, "first run");
        harness.Clock.Advance(TimeSpan.FromSeconds(35));
        harness.Release.SetResult();
        await Eventually.ValueAsync(() => harness.Armed.LastOrDefault(), t => t == Start.AddSeconds(45), "loop waiting for the next regular fire time");

        harness.Calls.ShouldBe([Start.AddSeconds(5), Start.AddSeconds(35)]);
        await harness.StopAsync();
    }

    [Fact]
    public async Task AsyncTrigger_SlowRun_NextFireTimeStillStartsOnTime()
    {
        var harness = new Harness("every:10s", runAsync: true, blockFirstRun: true);

        await harness.AdvanceToNextAsync(Start.AddSeconds(5));
        await harness.AdvanceToNextAsync(Start.AddSeconds(15));
        await Eventually.ValueAsync(() => harness.Calls.Count, c => c == 2, "overlapping run");

        harness.Release.SetResult();
        harness.Calls.Order().ShouldBe([Start.AddSeconds(5), Start.AddSeconds(15)]);
        await harness.StopAsync();
    }

    [Fact]
    public async Task CronTrigger_FiveFields_FiresAtTheMinute()
    {
        var harness = new Harness("cron:*/2 * * * *", runAsync: false);

        await harness.AdvanceToNextAsync(new DateTimeOffset(2026, 1, 1, 0, 2, 0, TimeSpan.Zero));
        await harness.AdvanceToNextAsync(new DateTimeOffset(2026, 1, 1, 0, 4, 0, TimeSpan.Zero));

        await Eventually.ValueAsync(() => harness.Calls.Count, c => c == 2, "two runs");
        await harness.StopAsync();
    }

    /// <summary>A schedule loop on a fake clock that records its runs and its armed timers.</summary>
    private sealed class Harness
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public Harness(string specification, bool runAsync, bool blockFirstRun = false)
        {
            var loop = new ScheduleLoop(Spec(specification), runAsync, Clock, async t =>
            {
                Calls.Enqueue(t);
                if (blockFirstRun && Calls.Count == 1)
                {
                    await Release.Task;
                }
            })
            { Waiting = Armed.Enqueue };
            _running = loop.RunAsync(_stop.Token);
        }

        public FakeTimeProvider Clock { get; } = new(Start);
        public ConcurrentQueue<DateTimeOffset> Calls { get; } = new();
        public ConcurrentQueue<DateTimeOffset> Armed { get; } = new();
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Waits until the loop armed its timer for <paramref name="fireTime"/>, then moves the clock there.</summary>
        public async Task AdvanceToNextAsync(DateTimeOffset fireTime)
        {
            await Eventually.ValueAsync(() => Armed.Contains(fireTime), armed => armed, $"timer for {fireTime:O}");
            Clock.Advance(fireTime - Clock.GetUtcNow());
        }

        public async Task StopAsync()
        {
            Release.TrySetResult();
            await _stop.CancelAsync();
            await _running;
        }
    }

    [Theory]
    [InlineData("every:1h", "2026-01-01T00:20:00Z", "2026-01-01T01:00:00Z")]
    [InlineData("every:1d", "2026-01-01T10:00:00Z", "2026-01-02T00:00:00Z")]
    [InlineData("every:10s", "2026-01-01T00:00:10Z", "2026-01-01T00:00:20Z")]
    [InlineData("cron:0 0 * * *", "2026-01-01T10:00:00Z", "2026-01-02T00:00:00Z")]
    [InlineData("cron:*/15 * * * * *", "2026-01-01T10:00:01Z", "2026-01-01T10:00:15Z")]
    public void Next_Specification_FirstFireTimeStrictlyAfter(string specification, string after, string expected) =>
        FireTimes.Next(Spec(specification), DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
}


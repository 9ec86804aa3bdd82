using Scripting.Core.Triggers;
using Scripting.Engine.Limits;
using Scripting.Engine.Triggers;

namespace Scripting.Engine.Tests;

/// <summary>Plugin memory that a test sets: what a run's allocations would make it, and what reclaiming garbage leaves.</summary>
internal sealed class FakeMemoryGauge : IPluginMemoryGauge
{
    public long InUse { get; set; }

    /// <summary>What is left after garbage is reclaimed; null: the same as <see cref="InUse"/>.</summary>
    public long? AfterCollection { get; set; }

    public int Measurements { get; private set; }

    public int Collections { get; private set; }

    public long Measure(bool collectFirst)
    {
        Measurements++;
        if (collectFirst)
        {
            Collections++;
            InUse = AfterCollection ?? InUse;
        }

        return InUse;
    }
}

public sealed class MemoryGuardTests
{
    private const long Limit = 512L * 1024 * 1024;
    private static readonly EngineOptions Options = new() { PluginMemoryLimit = Limit, MemoryCheckInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task RunGrowingPastTheLimit_IsStoppedWithTheReason_AndTheTriggerRunsAgainOnceMemoryIsBack()
    {
        await using var fixture = new EngineFixture(Options);
        var runs = 0;
        var allocating = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Runtime.Behaviour = (_, _) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                var cancellation = fixture.Runtime.RunCancellation;
                allocating.TrySetResult();
                while (!cancellation.IsCancellationRequested)
                {
                    Thread.Sleep(1);
                }

                fixture.MemoryGauge.InUse = 100L * 1024 * 1024; // its objects became garbage when it stopped
                cancellation.ThrowIfCancellationRequested();
            }

            return null;
        };
        fixture.AddTrigger("hog", "all_tables");
        await fixture.Engine.StartAsync();

        fixture.Commit("m f=1 1");
        await allocating.Task.WaitAsync(TimeSpan.FromSeconds(60));
        fixture.MemoryGauge.InUse = Limit + 1;
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.ValueAsync(() => fixture.LogTexts("hog").Any(l => l.StartsWith("ERROR", StringComparison.Ordinal)), done => done, "the run to fail");

        fixture.LogTexts("hog").ShouldContain(l => l.Contains("run stopped: plugin memory reached 512 MiB, over the limit of 512 MiB (--plugin-memory-limit)", StringComparison.Ordinal));
        fixture.MemoryGauge.Collections.ShouldBe(1, "garbage is reclaimed before any run is stopped");

        fixture.Commit("m f=2 2");
        await Eventually.ValueAsync(() => fixture.LogTexts("hog").Count(l => l.Contains("finished execution", StringComparison.Ordinal)), count => count == 1, "the next run to finish");
        Volatile.Read(ref runs).ShouldBe(2);
    }

    [Fact]
    public async Task OverTheLimitOnlyUntilGarbageIsReclaimed_RunGoesOn()
    {
        await using var fixture = new EngineFixture(Options);
        var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Runtime.Behaviour = (_, _) =>
        {
            started.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(60));
            return null;
        };
        fixture.AddTrigger("busy", "all_tables");
        await fixture.Engine.StartAsync();
        fixture.Commit("m f=1 1");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        fixture.MemoryGauge.InUse = Limit * 2;
        fixture.MemoryGauge.AfterCollection = Limit / 2;
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(100));
        release.Set();

        await Eventually.ValueAsync(() => fixture.LogTexts("busy").Any(l => l.Contains("finished execution", StringComparison.Ordinal)), done => done, "the run to finish");
        fixture.MemoryGauge.Collections.ShouldBe(1);
        fixture.LogTexts("busy").ShouldNotContain(l => l.StartsWith("ERROR", StringComparison.Ordinal));
    }

    [Fact]
    public void NoRunInProgress_NothingIsMeasured()
    {
        var gauge = new FakeMemoryGauge { InUse = Limit * 4 };
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var guard = new MemoryGuard(gauge, Options, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<MemoryGuard>.Instance);

        clock.Advance(TimeSpan.FromSeconds(5));
        using (var watch = guard.Start("p.fake"))
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            watch.Token.IsCancellationRequested.ShouldBeTrue();
        }

        var measured = gauge.Measurements;
        clock.Advance(TimeSpan.FromSeconds(5));
        gauge.Measurements.ShouldBe(measured);
        measured.ShouldBe(2);
    }
}

using Scripting.Core.Errors;
using Scripting.Core.LineProtocol;
using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.Engine.Triggers;
using Scripting.PluginApi;

namespace Scripting.Engine.Tests;

public sealed class ErrorBehaviorTests
{
    [Fact]
    public async Task RetryBehaviour_FailingRun_RetriesWithDoublingBackoffCapped()
    {
        await using var fixture = new EngineFixture(new EngineOptions { RetryMaxDelay = TimeSpan.FromSeconds(4) });
        var attempts = 0;
        fixture.Runtime.Behaviour = (_, _) => ++attempts < 5 ? throw new InvalidOperationException($"attempt {attempts}") : null;
        fixture.AddTrigger("retrying", "all_tables", ErrorBehavior.Retry);
        await fixture.Engine.StartAsync();

        fixture.Clock.ForgetArmed();
        fixture.Commit("m f=1 1");
        var delays = new[] { 1, 2, 4, 4 };
        for (var retry = 0; retry < delays.Length; retry++)
        {
            // Move the clock once the backoff's timer is armed, not after some wall-clock time.
            await fixture.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(delays[retry]));
            fixture.Clock.Advance(TimeSpan.FromSeconds(delays[retry]));
        }

        await Eventually.ValueAsync(() => fixture.LogTexts("retrying").Count(l => l.StartsWith("INFO: finished execution", StringComparison.Ordinal)), c => c == 1, "success");
        attempts.ShouldBe(5);
        fixture.LogTexts("retrying").Where(l => l.StartsWith("WARN: retrying", StringComparison.Ordinal)).ShouldBe(
            [.. delays.Select((delay, retry) => $"WARN: retrying in {delay}s (attempt {retry + 2})")]);
        fixture.LogTexts("retrying").Where(l => l.StartsWith("ERROR", StringComparison.Ordinal)).ShouldBe([
            "ERROR: error executing wal plugin: InvalidOperationException: attempt 1",
            "ERROR: error executing wal plugin: InvalidOperationException: attempt 2",
            "ERROR: error executing wal plugin: InvalidOperationException: attempt 3",
            "ERROR: error executing wal plugin: InvalidOperationException: attempt 4"]);
    }

    [Fact]
    public async Task DisableBehaviour_FailingRun_PersistsDisabledAndLogsWhy()
    {
        await using var fixture = new EngineFixture();
        fixture.Runtime.Behaviour = (_, _) => throw new InvalidOperationException("bad data");
        fixture.AddTrigger("fragile", "all_tables", ErrorBehavior.Disable);
        await fixture.Engine.StartAsync();

        fixture.Commit("m f=1 1");

        await Eventually.ValueAsync(() => fixture.Catalog.GetTrigger("db", "fragile").Disabled, d => d, "trigger disabled");
        fixture.LogTexts("fragile").ShouldContain(l => l.Contains("disabled after an error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogBehaviour_FailingRun_NextWriteStillDelivered()
    {
        await using var fixture = new EngineFixture();
        var calls = 0;
        fixture.Runtime.Behaviour = (_, _) => ++calls == 1 ? throw new InvalidOperationException("first fails") : null;
        fixture.AddTrigger("logging", "table:m");
        await fixture.Engine.StartAsync();

        fixture.Commit("m f=1 1");
        fixture.Commit("m f=2 2");

        await Eventually.ValueAsync(() => calls, c => c == 2, "second run");
    }

    [Fact]
    public async Task WriteTrigger_TableFilter_OnlyThatTableAndRowsAsDictionaries()
    {
        await using var fixture = new EngineFixture();
        List<(string Table, List<IReadOnlyDictionary<string, object?>> Rows)>? seen = null;
        fixture.Runtime.Behaviour = (_, input) => seen = ((IReadOnlyList<TableBatch>)input!).Select(b => (b.TableName, b.Rows.ToList())).ToList();
        fixture.AddTrigger("filtered", "table:home");
        await fixture.Engine.StartAsync();

        fixture.Commit("other f=1 1\nhome,room=k temp=21.5,co=1i,ok=true,n=2u,s=\"x\" 1742198400000000000");

        await Eventually.ValueAsync(() => seen, s => s is not null, "delivery");
        var batch = seen!.ShouldHaveSingleItem();
        batch.Table.ShouldBe("home");
        batch.Rows.ShouldHaveSingleItem().ShouldBe(new Dictionary<string, object?>
        {
            ["room"] = "k", ["temp"] = 21.5, ["co"] = 1L, ["ok"] = true, ["n"] = 2UL, ["s"] = "x", ["time"] = 1742198400000000000L,
        });
    }

    [Fact]
    public async Task WriteTrigger_RowsKeptPastTheRun_ReadRowsStayUnreadRowsSayWhy()
    {
        await using var fixture = new EngineFixture();
        IReadOnlyList<TableBatch>? kept = null;
        fixture.Runtime.Behaviour = (_, input) =>
        {
            kept = (IReadOnlyList<TableBatch>)input!;
            return kept[0].Rows[0];
        };
        fixture.AddTrigger("keeper", "all_tables");
        await fixture.Engine.StartAsync();

        fixture.Commit("m f=1 1\nm f=2 2");
        await Eventually.ValueAsync(() => fixture.LogTexts("keeper").Count(l => l.StartsWith("INFO: finished", StringComparison.Ordinal)), c => c == 1, "run");

        kept![0].Rows[0]["f"].ShouldBe(1.0);
        Should.Throw<InvalidOperationException>(() => kept[0].Rows[1]).Message.ShouldContain("only during the run that received them");
    }

    [Fact]
    public async Task WriteTrigger_StuckPlugin_QueueOverflowIsLoggedAndIngestNeverWaits()
    {
        await using var fixture = new EngineFixture(new EngineOptions { WriteQueueCapacity = 2 });
        var release = new ManualResetEventSlim();
        fixture.Runtime.Behaviour = (_, _) => { release.Wait(TimeSpan.FromSeconds(20)); return null; };
        fixture.AddTrigger("stuck", "all_tables");
        await fixture.Engine.StartAsync();

        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 10; i++)
            {
                fixture.Commit($"m f={i} {i + 1}");
            }

            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
            await Eventually.ValueAsync(() => fixture.LogTexts("stuck").Count(l => l.Contains("write queue of trigger 'stuck' is full", StringComparison.Ordinal)), c => c >= 1, "overflow warning");
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task PluginWrites_OnAFullDisk_LoggedAsNotStoredWithTheReason_AndWriteSyncRaisesIt()
    {
        await using var fixture = new EngineFixture();
        fixture.Writes.Failure = StorageFailure.Recognize(new IOException("IO Error: Could not write file \"/data/db.duckdb.wal\": No space left on device"));
        string? raised = null;
        fixture.Runtime.Behaviour = (local, _) =>
        {
            local.Write(new LineBuilder("queued").Int64Field("v", 1));
            try
            {
                local.WriteSync(new LineBuilder("sync").Int64Field("v", 1), noSync: false);
            }
            catch (InfluxDBError error)
            {
                raised = error.Message;
            }

            return null;
        };
        fixture.AddTrigger("writer", "table:m");
        await fixture.Engine.StartAsync();

        fixture.Commit("m f=1 1");

        var logged = await Eventually.ValueAsync(() => fixture.LogTexts("writer").ToList(), l => l.Any(t => t.StartsWith("ERROR", StringComparison.Ordinal)), "the failed flush");
        logged.ShouldContain(t => t.StartsWith("ERROR: error running wal plugin: error writing back lines to db: not stored: the disk is full (IO Error: Could not write file", StringComparison.Ordinal));
        raised.ShouldNotBeNull().ShouldStartWith("not stored: the disk is full");
    }

    [Fact]
    public async Task QueuedWrites_DiscardedWhenPluginThrows_WrittenWhenItSucceeds()
    {
        await using var fixture = new EngineFixture();
        var calls = 0;
        fixture.Runtime.Behaviour = (local, _) =>
        {
            local.Write(new LineBuilder("out").Int64Field("call", ++calls));
            return calls == 1 ? throw new InvalidOperationException("discard me") : null;
        };
        fixture.AddTrigger("writer", "table:m");
        await fixture.Engine.StartAsync();

        fixture.Commit("m f=1 1");
        fixture.Commit("m f=2 2");

        await Eventually.ValueAsync(() => fixture.Writes.Written.Count, c => c == 1, "one flush");
        var written = fixture.Writes.Written.Single();
        written.Batch.FieldsOf(written.Batch.Points[0])[0].Value.AsInteger.ShouldBe(2);
    }

    [Fact]
    public async Task Cache_TtlExpiresOnFakeClock_AndTriggerScopeClearedOnDisable()
    {
        await using var fixture = new EngineFixture();
        var local = fixture.Caches.For("db", "t", "fake");
        local.Put("k", "v", ttl: 10);
        local.Put("g", 1, useGlobal: true);

        local.Get("k").ShouldBe("v");
        fixture.Clock.Advance(TimeSpan.FromSeconds(11));
        local.Get("k", "gone").ShouldBe("gone");

        local.Put("k2", "v2");
        fixture.Caches.Clear("db", "t");
        fixture.Caches.For("db", "t", "fake").Get("k2").ShouldBeNull();
        fixture.Caches.For("db", "other", "fake").Get("g", useGlobal: true).ShouldBe(1);
    }
}

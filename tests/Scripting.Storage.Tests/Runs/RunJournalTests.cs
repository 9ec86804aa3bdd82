using Scripting.Core.Triggers;
using Scripting.Storage.Runs;

namespace Scripting.Storage.Tests.Runs;

/// <summary>The journal tells the next start which runs were in flight when a process ended without closing it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RunJournalTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create("journal").Path;
    private static readonly TriggerKey Busy = new("db", "busy");
    private static readonly TriggerKey Done = new("db", "done");
    private static readonly TriggerKey[] All = [Busy, Done, new("other", "busy")];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AnEndWithoutClosing_LeavesTheRunsInFlight()
    {
        var crashed = new RunJournal(_directory);
        crashed.Begin(Busy);
        crashed.Begin(Done).Dispose();
        var nested = crashed.Begin(Busy);
        nested.Dispose();

        // The crashed instance is never disposed: its mapping is what a dead process leaves in the file.
        using var next = new RunJournal(_directory);

        next.Unfinished(All).ShouldBe([Busy]);
        using var third = new RunJournal(_directory);
        third.Unfinished(All).ShouldBeEmpty();
    }

    [Fact]
    public void ACleanEnd_LeavesNothing_AndForgetsSuspects()
    {
        using (var first = new RunJournal(_directory))
        {
            first.Begin(Busy);
            first.Suspects = new HashSet<TriggerKey> { Busy };
        }

        using var next = new RunJournal(_directory);

        next.Unfinished(All).ShouldBeNull();
        next.Suspects.ShouldBeEmpty();
    }

    [Fact]
    public void Suspects_OutliveAnUncleanEnd()
    {
        var crashed = new RunJournal(_directory);
        crashed.Suspects = new HashSet<TriggerKey> { Busy };

        using var next = new RunJournal(_directory);

        next.Suspects.ShouldBe([Busy]);
        File.GetUnixFileMode(Path.Combine(_directory, "runs-in-flight")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void ARunEndingAfterTheJournalClosed_TouchesNothing()
    {
        var journal = new RunJournal(_directory);
        var abandoned = journal.Begin(Busy);
        journal.Dispose();

        abandoned.Dispose();
        journal.Begin(Done).Dispose();

        using var next = new RunJournal(_directory);
        next.Unfinished(All).ShouldBeNull();
    }
}

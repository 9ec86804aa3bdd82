using Scripting.Core.Triggers;

namespace Scripting.Engine.Tests;

/// <summary>A trigger in flight each time the server ended uncleanly, twice in a row, is started disabled.</summary>
public sealed class QuarantineTests
{
    private sealed class FakeJournal(params TriggerKey[] unfinished) : IRunJournal
    {
        public List<TriggerKey> Begun { get; } = [];

        public bool Clean { get; init; }

        public IReadOnlySet<TriggerKey> Suspects { get; set; } = new HashSet<TriggerKey>();

        public IDisposable Begin(TriggerKey trigger)
        {
            lock (Begun)
            {
                Begun.Add(trigger);
            }

            return new NoRunJournal().Begin(trigger);
        }

        public IReadOnlyList<TriggerKey>? Unfinished(IEnumerable<TriggerKey> triggers) =>
            Clean ? null : triggers.Where(unfinished.Contains).ToList();
    }

    private static readonly TriggerKey Crasher = new("db", "crasher");

    [Fact]
    public async Task FirstUncleanEnd_MakesASuspect_ThatStillRuns()
    {
        var journal = new FakeJournal(Crasher);
        await using var fixture = new EngineFixture(journal: journal);
        fixture.AddTrigger("crasher", "all_tables");
        fixture.AddTrigger("bystander", "all_tables");

        await fixture.Engine.StartAsync();
        fixture.Commit("m f=1 1");

        journal.Suspects.ShouldBe([Crasher]);
        fixture.Catalog.Find("db")!.Triggers["crasher"].Disabled.ShouldBeFalse();
        await Eventually.ValueAsync(() => { lock (journal.Begun) { return journal.Begun.Count; } }, n => n == 2, "both triggers run, each journaled");
    }

    [Fact]
    public async Task SecondUncleanEnd_WithTheSameTriggerInFlight_StartsItDisabled_AndSaysHowToEnableIt()
    {
        var journal = new FakeJournal(Crasher) { Suspects = new HashSet<TriggerKey> { Crasher, new("db", "gone") } };
        await using var fixture = new EngineFixture(journal: journal);
        fixture.AddTrigger("crasher", "all_tables");
        fixture.AddTrigger("bystander", "all_tables");

        await fixture.Engine.StartAsync();
        fixture.Commit("m f=1 1");

        fixture.Catalog.Find("db")!.Triggers["crasher"].Disabled.ShouldBeTrue();
        fixture.Catalog.Find("db")!.Triggers["bystander"].Disabled.ShouldBeFalse();
        fixture.LogTexts("crasher").ShouldContain(l => l.StartsWith("ERROR: quarantined: a run of this trigger was in flight both times the server ended uncleanly", StringComparison.Ordinal)
            && l.EndsWith("enable it again with `scripting enable trigger --database db crasher`", StringComparison.Ordinal));
        journal.Suspects.ShouldBeEmpty();
        await Eventually.ValueAsync(() => { lock (journal.Begun) { return journal.Begun.ToList(); } }, b => b.Count == 1, "only the bystander runs");
        journal.Begun.ShouldBe([new TriggerKey("db", "bystander")]);
    }

    [Fact]
    public async Task ACleanEnd_QuarantinesNothing()
    {
        var journal = new FakeJournal(Crasher) { Clean = true, Suspects = new HashSet<TriggerKey> { Crasher } };
        await using var fixture = new EngineFixture(journal: journal);
        fixture.AddTrigger("crasher", "all_tables");

        await fixture.Engine.StartAsync();

        fixture.Catalog.Find("db")!.Triggers["crasher"].Disabled.ShouldBeFalse();
    }
}

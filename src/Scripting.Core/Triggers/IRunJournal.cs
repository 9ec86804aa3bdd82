namespace Scripting.Core.Triggers;

/// <summary>A trigger by database and name.</summary>
public readonly record struct TriggerKey(string Database, string Name)
{
    public override string ToString() => $"{Database}/{Name}";
}

/// <summary>
/// Which triggers have a run in flight, kept where a process that dies (a native crash, SIGKILL, the OOM
/// killer) leaves it for the next start, so the engine can tell which trigger was running each time the
/// server died and quarantine one that keeps taking it down.
/// </summary>
public interface IRunJournal
{
    /// <summary>Marks a run of <paramref name="trigger"/> in flight until the returned handle is disposed; cheap enough for every run.</summary>
    IDisposable Begin(TriggerKey trigger);

    /// <summary>
    /// What the previous process left: null when it exited cleanly (or there was none), else the triggers
    /// that had a run in flight when it ended, resolved against <paramref name="triggers"/>.
    /// </summary>
    IReadOnlyList<TriggerKey>? Unfinished(IEnumerable<TriggerKey> triggers);

    /// <summary>Triggers that had a run in flight the last time the server ended uncleanly, kept until a clean exit.</summary>
    IReadOnlySet<TriggerKey> Suspects { get; set; }
}

/// <summary>For a server without a data dir: nothing outlives the process, so nothing is journaled.</summary>
public sealed class NoRunJournal : IRunJournal
{
    private static readonly IDisposable Nothing = new Done();

    public IReadOnlySet<TriggerKey> Suspects { get; set; } = new HashSet<TriggerKey>();

    public IDisposable Begin(TriggerKey trigger) => Nothing;

    public IReadOnlyList<TriggerKey>? Unfinished(IEnumerable<TriggerKey> triggers) => null;

    private sealed class Done : IDisposable
    {
        public void Dispose()
        {
        }
    }
}

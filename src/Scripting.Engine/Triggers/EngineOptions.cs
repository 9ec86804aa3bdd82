namespace Scripting.Engine.Triggers;

public sealed record EngineOptions
{
    /// <summary>How long a run may take unless the trigger's <c>run_timeout</c> argument says otherwise.</summary>
    public TimeSpan DefaultRunTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After the deadline, how long a run has to notice its cancellation before it is abandoned.</summary>
    public TimeSpan AbandonGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Committed write groups a trigger may have waiting; more are dropped and logged.</summary>
    public int WriteQueueCapacity { get; init; } = 1_000;

    /// <summary>
    /// Plugin writes this many runs away from a client's write are stored but not fed to write triggers:
    /// a plugin that writes to the table it watches stops after this many rounds instead of forever.
    /// </summary>
    public int MaxWriteGenerations { get; init; } = 10;

    /// <summary>At shutdown, how long triggers may finish their run in progress and their queued writes.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Plugin memory (bytes) past which runs in progress are stopped; null for no limit.</summary>
    public long? PluginMemoryLimit { get; init; }

    /// <summary>How often plugin memory is measured while runs are in progress.</summary>
    public TimeSpan MemoryCheckInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryFirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);
}

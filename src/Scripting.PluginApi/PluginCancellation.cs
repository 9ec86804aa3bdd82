namespace Scripting.PluginApi;

/// <summary>
/// The cancellation of the current plugin run. The C# runtime inserts calls to
/// <see cref="ThrowIfCancelled"/> at loop back-edges and method entries of plugin code, so a run past its
/// deadline stops even in a loop that never checks; plugins may call it too.
/// </summary>
public static class PluginCancellation
{
    private static readonly AsyncLocal<CancellationToken> CurrentToken = new();

    /// <summary>The token of the run on this logical thread of execution.</summary>
    public static CancellationToken Current
    {
        get => CurrentToken.Value;
        set => CurrentToken.Value = value;
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> when the current run has been cancelled.</summary>
    public static void ThrowIfCancelled() => CurrentToken.Value.ThrowIfCancellationRequested();
}

namespace Scripting.PluginApi;

/// <summary>
/// The cancellation of the current plugin run. The C# runtime inserts calls to
/// <see cref="ThrowIfCancelled"/> at loop back-edges and <see cref="Enter"/> at the start of every method,
/// local function, accessor and lambda of plugin code, so a run past its deadline stops even in a loop
/// that never checks, and runaway recursion ends the run instead of the process; plugins may call them too.
/// </summary>
public static class PluginCancellation
{
    private static readonly AsyncLocal<CancellationToken> CurrentToken = new();

    /// <summary>
    /// The token of the run on this logical thread of execution. Only the C# runtime sets it: a plugin that
    /// could would be able to clear its own deadline.
    /// </summary>
    public static CancellationToken Current
    {
        get => CurrentToken.Value;
        internal set => CurrentToken.Value = value;
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> when the current run has been cancelled.</summary>
    public static void ThrowIfCancelled() => CurrentToken.Value.ThrowIfCancellationRequested();

    /// <summary>
    /// Entry of plugin code at <paramref name="file"/>, <paramref name="line"/>: throws
    /// <see cref="InsufficientExecutionStackException"/> when the thread's stack is nearly used up (a stack
    /// overflow cannot be caught and would end the process), then checks for cancellation.
    /// </summary>
    public static void Enter(string file, int line)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new InsufficientExecutionStackException($"recursion too deep in {file}, line {line}");
        }

        CurrentToken.Value.ThrowIfCancellationRequested();
    }
}

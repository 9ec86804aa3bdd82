namespace Scripting.Core.Writes;

/// <summary>
/// Where the store announces committed writes and the engine listens, so neither references the other.
/// Handlers run on the store's writer thread and must only hand the writes on.
/// </summary>
public sealed class WriteNotifier
{
    public event Action<IReadOnlyList<ValidatedWrite>>? Committed;

    public bool HasListeners => Committed is not null;

    public void Publish(IReadOnlyList<ValidatedWrite> writes) => Committed?.Invoke(writes);
}

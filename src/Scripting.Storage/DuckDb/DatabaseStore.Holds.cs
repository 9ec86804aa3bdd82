namespace Scripting.Storage.DuckDb;

internal sealed partial class DatabaseStore
{
    private int _holds;
    private long _lastUsed = Environment.TickCount64;

    /// <summary>
    /// Marks one operation in progress (a write until it is committed, a query until its stream is
    /// disposed); a store is only closed while it has none. Taken under the storage's lock for this database.
    /// </summary>
    public void Hold()
    {
        Interlocked.Increment(ref _holds);
        Volatile.Write(ref _lastUsed, Environment.TickCount64);
    }

    public void LetGo()
    {
        Volatile.Write(ref _lastUsed, Environment.TickCount64);
        Interlocked.Decrement(ref _holds);
    }

    /// <summary>No operation in progress, and none for at least <paramref name="idle"/>.</summary>
    public bool IsIdle(TimeSpan idle) =>
        Volatile.Read(ref _holds) == 0 && Environment.TickCount64 - Volatile.Read(ref _lastUsed) >= (long)idle.TotalMilliseconds;

    public long LastUsed => Volatile.Read(ref _lastUsed);
}

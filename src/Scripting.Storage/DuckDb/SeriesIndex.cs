using Scripting.Core.LineProtocol;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// The latest time stored for each series of each table, so most points can be appended without
/// looking at storage. A series is identified by a 64-bit hash of its tag set, independent of the
/// order the tags were written in. Two series that share a hash share an entry holding the later of
/// their latest times; that can only send a point to the merge without need, never append a point that
/// collides with a stored one: a point whose time is after its entry is after every point of its
/// series. Owned by the database's writer loop; dropped whole when a commit fails and rebuilt from
/// storage on the next write to each table.
/// </summary>
internal sealed class SeriesIndex
{
    private readonly Dictionary<string, Dictionary<ulong, long>> _tables = new(StringComparer.Ordinal);

    /// <summary>The latest times of <paramref name="table"/>, loaded by <paramref name="load"/> on first use.</summary>
    public Dictionary<ulong, long> Of(string table, Func<string, Dictionary<ulong, long>> load)
    {
        if (!_tables.TryGetValue(table, out var latest))
        {
            _tables[table] = latest = load(table);
        }

        return latest;
    }

    /// <summary>Records <paramref name="time"/> for the series; true when it is after every time stored for it, so the point is new.</summary>
    public static bool Advance(Dictionary<ulong, long> latest, ulong series, long time)
    {
        ref var stored = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(latest, series, out var exists);
        if (!exists)
        {
            stored = time;
            return true;
        }

        if (time > stored)
        {
            stored = time;
            return true;
        }

        return false;
    }

    public void Clear() => _tables.Clear();

    public void Forget(string table) => _tables.Remove(table);

    public static ulong Hash(ReadOnlySpan<Tag> tags)
    {
        // A sum of per-tag hashes does not depend on the tags' order.
        var sum = 0x9E3779B97F4A7C15UL;
        foreach (var tag in tags)
        {
            sum += HashTag(tag.Key, tag.Value);
        }

        return sum;
    }

    public static ulong HashTag(string key, string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ 0xFFFF) * 1099511628211UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // splitmix64's finalizer spreads FNV's weak high bits before the sum.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}

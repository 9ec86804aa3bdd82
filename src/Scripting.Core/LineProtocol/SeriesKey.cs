namespace Scripting.Core.LineProtocol;

/// <summary>
/// A 64-bit hash of a series' tag set (its identity within a table, with the time making a point's),
/// independent of the order the tags were written in. Computed once per line by the parser, off the
/// store's single writer, and by the store for rows it reads back; only ever compared within a process.
/// </summary>
public static class SeriesKey
{
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

    private static ulong HashTag(string key, string value)
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

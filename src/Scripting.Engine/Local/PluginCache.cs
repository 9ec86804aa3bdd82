using System.Collections.Concurrent;
using Scripting.PluginApi;

namespace Scripting.Engine.Local;

/// <summary>
/// The cache behind <c>influxdb3_local.cache</c>: one namespace per trigger and one global namespace.
/// Values are kept by reference. Expired entries are removed when read. The global namespace is one per
/// language: a value cached by a Python plugin is a Python object, never handed to C#, nor the reverse.
/// </summary>
public sealed class PluginCacheStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Entry>> _namespaces = new(StringComparer.Ordinal);
    private const string GlobalNamespace = "\u0000global\u0000";

    public IPluginCache For(string database, string trigger, string language) =>
        new Scoped(this, $"{database}\u0000{trigger}", GlobalNamespace + language, null);

    /// <summary>
    /// The cache of a dry run: both scopes are the test cache named <paramref name="cacheName"/>,
    /// shared by the dry runs that name it, and entries without a TTL expire after 30 minutes.
    /// </summary>
    public IPluginCache ForTest(string cacheName, string language) =>
        new Scoped(this, $"\u0000test\u0000{language}\u0000{cacheName}", $"\u0000test\u0000{language}\u0000{cacheName}", TimeSpan.FromMinutes(30));

    /// <summary>Drops a trigger's namespace (disable, delete, database deleted).</summary>
    public void Clear(string database, string trigger) => _namespaces.TryRemove($"{database}\u0000{trigger}", out _);

    private ConcurrentDictionary<string, Entry> Namespace(string name) =>
        _namespaces.GetOrAdd(name, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));

    private sealed record Entry(object? Value, DateTimeOffset? Expires);

    private sealed class Scoped(PluginCacheStore store, string name, string global, TimeSpan? defaultTtl) : IPluginCache
    {
        public void Put(string key, object? value, double? ttl = null, bool useGlobal = false)
        {
            if (ttl is { } seconds && (double.IsNaN(seconds) || seconds < 0 || double.IsInfinity(seconds)))
            {
                throw new ArgumentOutOfRangeException(nameof(ttl), $"ttl must be a non-negative number of seconds, got {seconds}");
            }

            DateTimeOffset? expires = ttl is { } s ? store.Time.GetUtcNow().AddSeconds(s) : store.Time.GetUtcNow() + defaultTtl;
            store.Namespace(useGlobal ? global : name)[key] = new Entry(value, expires);
        }

        public object? Get(string key, object? defaultValue = null, bool useGlobal = false)
        {
            var entries = store.Namespace(useGlobal ? global : name);
            if (!entries.TryGetValue(key, out var entry))
            {
                return defaultValue;
            }

            if (entry.Expires is { } expires && expires <= store.Time.GetUtcNow())
            {
                entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                return defaultValue;
            }

            return entry.Value;
        }

        public bool Delete(string key, bool useGlobal = false) => store.Namespace(useGlobal ? global : name).TryRemove(key, out _);
    }

    private TimeProvider Time => time;
}

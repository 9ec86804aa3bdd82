namespace Scripting.PluginApi;

/// <summary>
/// The server as a plugin sees it: the <c>influxdb3_local</c> object of InfluxDB 3's processing engine.
/// One implementation serves C# and Python plugins alike.
/// </summary>
public interface IInfluxDb3Local
{
    /// <summary>Logs at INFO; the parts are joined with single spaces. Shown in <c>system.processing_engine_logs</c>.</summary>
    void Info(params object?[] parts);

    /// <summary>Logs at WARN.</summary>
    void Warn(params object?[] parts);

    /// <summary>Logs at ERROR.</summary>
    void Error(params object?[] parts);

    /// <summary>Queues a line for the trigger's database; written after the plugin returns, discarded if it throws.</summary>
    void Write(LineBuilder line);

    /// <summary>Queues a line for another database (created if missing); written after the plugin returns.</summary>
    void WriteToDb(string database, LineBuilder line);

    /// <summary>Writes a line to the trigger's database now; throws if the write is rejected.</summary>
    /// <param name="line">The line.</param>
    /// <param name="noSync">Return before the write is durable.</param>
    void WriteSync(LineBuilder line, bool noSync);

    /// <summary>Writes a line to another database now; throws if the write is rejected.</summary>
    void WriteSyncToDb(string database, LineBuilder line, bool noSync);

    /// <summary>Runs SQL; <c>$name</c> placeholders are bound from <paramref name="args"/>. Rows map column names to values, <c>time</c> as long nanoseconds.</summary>
    /// <exception cref="QueryError">The query failed.</exception>
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, string>? args = null, string? database = null);

    /// <summary>An in-memory cache kept between runs: per trigger by default, or global.</summary>
    IPluginCache Cache { get; }

    /// <summary>Signalled when the run passes its deadline or the trigger stops; long loops should check it.</summary>
    CancellationToken Cancellation { get; }

    /// <inheritdoc cref="Info"/>
    void info(params object?[] parts) => Info(parts);

    /// <inheritdoc cref="Warn"/>
    void warn(params object?[] parts) => Warn(parts);

    /// <inheritdoc cref="Error"/>
    void error(params object?[] parts) => Error(parts);

    /// <inheritdoc cref="Write"/>
    void write(LineBuilder line) => Write(line);

    /// <inheritdoc cref="WriteToDb"/>
    void write_to_db(string database, LineBuilder line) => WriteToDb(database, line);

    /// <inheritdoc cref="WriteSync"/>
    void write_sync(LineBuilder line, bool no_sync) => WriteSync(line, no_sync);

    /// <inheritdoc cref="WriteSyncToDb"/>
    void write_sync_to_db(string database, LineBuilder line, bool no_sync) => WriteSyncToDb(database, line, no_sync);

    /// <inheritdoc cref="Query"/>
    IReadOnlyList<IReadOnlyDictionary<string, object?>> query(string sql, IReadOnlyDictionary<string, string>? args = null, string? database = null) => Query(sql, args, database);

    /// <inheritdoc cref="Cache"/>
    IPluginCache cache => Cache;
}

/// <summary>The plugin cache: values are kept by reference; entries with a TTL expire.</summary>
public interface IPluginCache
{
    /// <summary>Stores a value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">Any object; kept by reference.</param>
    /// <param name="ttl">Seconds until the entry expires; null keeps it.</param>
    /// <param name="useGlobal">Use the namespace shared by all triggers instead of this trigger's.</param>
    void Put(string key, object? value, double? ttl = null, bool useGlobal = false);

    /// <summary>Returns the value, or <paramref name="defaultValue"/> when absent or expired.</summary>
    object? Get(string key, object? defaultValue = null, bool useGlobal = false);

    /// <summary>Removes the entry; true if it existed.</summary>
    bool Delete(string key, bool useGlobal = false);

    /// <inheritdoc cref="Put"/>
    void put(string key, object? value, double? ttl = null, bool use_global = false) => Put(key, value, ttl, use_global);

    /// <inheritdoc cref="Get"/>
    object? get(string key, object? @default = null, bool use_global = false) => Get(key, @default, use_global);

    /// <inheritdoc cref="Delete"/>
    bool delete(string key, bool use_global = false) => Delete(key, use_global);
}

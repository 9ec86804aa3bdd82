using System.Collections.Concurrent;
using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.Testing;

/// <summary>
/// An influxdb3_local that records what a plugin did: its log lines, the lines it wrote (and whether
/// synchronously), its queries. A sync write of a line starting with "reject" fails as a refused write
/// does, and a query naming the table "broken" fails as a query of a missing table.
/// </summary>
public sealed class RecordingLocal(CancellationToken cancellation = default) : IInfluxDb3Local, IPluginLineWriter
{
    public ConcurrentQueue<string> Logs { get; } = new();

    public ConcurrentQueue<(string? Database, string Line, bool Sync)> Lines { get; } = new();

    public List<(string Sql, IReadOnlyDictionary<string, string>? Args, string? Database)> Queries { get; } = [];

    public Func<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryResult { get; set; } = _ => [];

    public IPluginCache Cache { get; init; } = new MemoryCache();

    public CancellationToken Cancellation => cancellation;

    /// <summary>The written lines in order, each prefixed with "database: " when the plugin named one.</summary>
    public IReadOnlyList<string> Writes => [.. Lines.Select(l => l.Database is null ? l.Line : $"{l.Database}: {l.Line}")];

    public void Info(params object?[] parts) => Logs.Enqueue("INFO: " + string.Join(' ', parts));

    public void Warn(params object?[] parts) => Logs.Enqueue("WARN: " + string.Join(' ', parts));

    public void Error(params object?[] parts) => Logs.Enqueue("ERROR: " + string.Join(' ', parts));

    public void Write(LineBuilder line) => QueueLine(null, line.Build());

    public void WriteToDb(string database, LineBuilder line) => QueueLine(database, line.Build());

    public void WriteSync(LineBuilder line, bool noSync) => WriteLineSync(null, line.Build(), noSync);

    public void WriteSyncToDb(string database, LineBuilder line, bool noSync) => WriteLineSync(database, line.Build(), noSync);

    public void QueueLine(string? database, string line) => Lines.Enqueue((database, line, false));

    public void WriteLineSync(string? database, string line, bool noSync)
    {
        if (line.StartsWith("reject", StringComparison.Ordinal))
        {
            throw new InfluxDBError($"error writing line protocol to {database ?? "db"}: Cannot write: line protocol parse failed");
        }

        Lines.Enqueue((database, line, true));
    }

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, string>? args = null, string? database = null)
    {
        Queries.Add((sql, args, database));
        return sql.Contains("broken", StringComparison.Ordinal)
            ? throw new QueryError($"error: table 'broken' not found executing query on {database ?? "db"}: {sql}")
            : QueryResult(sql);
    }

    /// <summary>A cache with the engine's semantics, minus expiry.</summary>
    public sealed class MemoryCache : IPluginCache
    {
        private readonly ConcurrentDictionary<string, object?> _local = new();
        private readonly ConcurrentDictionary<string, object?> _global = new();

        public void Put(string key, object? value, double? ttl = null, bool useGlobal = false) => (useGlobal ? _global : _local)[key] = value;

        public object? Get(string key, object? defaultValue = null, bool useGlobal = false) =>
            (useGlobal ? _global : _local).TryGetValue(key, out var value) ? value : defaultValue;

        public bool Delete(string key, bool useGlobal = false) => (useGlobal ? _global : _local).TryRemove(key, out _);
    }
}

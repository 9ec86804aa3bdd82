namespace Scripting.Core.Queries;

/// <summary>
/// The <c>system.*</c> tables SQL can read. Their content lives outside the store (the engine's triggers
/// and logs, the query log, the catalog), so their owners register a reader here and the store
/// materialises a table per query. Some exist only in the <c>_internal</c> database, as in InfluxDB 3.
/// </summary>
public sealed class SystemTables
{
    /// <summary>The database InfluxDB 3 keeps for the server's own tables; it takes no writes and no triggers.</summary>
    public const string InternalDatabase = "_internal";

    private readonly Dictionary<string, (Func<string, QueryResult> Read, Scope Scope)> _readers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where a system table can be read.</summary>
    public enum Scope
    {
        /// <summary>In every database, as <c>system.NAME</c>.</summary>
        Everywhere,

        /// <summary>In <c>_internal</c> only.</summary>
        Internal,

        /// <summary>Not as <c>system.NAME</c>: the query layer's own tables (information_schema) use the same materialisation.</summary>
        Hidden,
    }

    /// <summary>Every registered name, hidden ones included (the store materialises by these).</summary>
    public IEnumerable<string> Names => _readers.Keys;

    /// <param name="read">Given the queried database, returns the table's rows.</param>
    public void Register(string name, Func<string, QueryResult> read, Scope scope = Scope.Everywhere) => _readers[name] = (read, scope);

    /// <summary>The names <c>system.NAME</c> can use in <paramref name="database"/>.</summary>
    public IEnumerable<string> NamesIn(string database) =>
        _readers.Where(r => r.Value.Scope == Scope.Everywhere || (r.Value.Scope == Scope.Internal && database == InternalDatabase)).Select(r => r.Key);

    public QueryResult? Read(string name, string database) => _readers.TryGetValue(name, out var reader) ? reader.Read(database) : null;
}

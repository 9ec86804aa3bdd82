namespace Scripting.Core.Queries;

/// <summary>
/// The <c>system.*</c> tables SQL can read. Their content lives outside the store (the engine's triggers
/// and logs), so their owners register a reader here and the store materialises a table per query.
/// </summary>
public sealed class SystemTables
{
    private readonly Dictionary<string, Func<string, QueryResult>> _readers = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Names => _readers.Keys;

    /// <param name="read">Given the queried database, returns the table's rows.</param>
    public void Register(string name, Func<string, QueryResult> read) => _readers[name] = read;

    public QueryResult? Read(string name, string database) => _readers.TryGetValue(name, out var read) ? read(database) : null;
}

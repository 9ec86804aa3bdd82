using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Queries;
using Scripting.Core.Writes;
using Scripting.Query.Limits;
using Scripting.Storage.Catalog;
using Scripting.Storage.DuckDb;

namespace Scripting.Query.Tests;

/// <summary>A DuckDB store in a temporary data dir with the query layer over it.</summary>
public sealed class QueryStore : IAsyncDisposable
{
    private readonly string _directory = TempDirectory.NewPath("query");

    public QueryStore(QueryLimits? limits = null, long? memoryLimit = null)
    {
        Catalog = new SchemaCatalog(new JsonCatalogPersistence(_directory));
        SystemTables = new SystemTables();
        SystemTables.Register("queries_seen", _ => new QueryResult([new QueryColumn("n", QueryColumnType.Integer)], [[1L], [2L]]));
        Storage = new DuckDbStorage(Catalog, new Core.Writes.WriteNotifier(), SystemTables, _directory, queryMemoryLimit: memoryLimit);
        Layer = new QueryLayer(Storage, Catalog, SystemTables, limits ?? new QueryLimits(), TimeProvider.System);
    }

    public string Directory => _directory;

    public SchemaCatalog Catalog { get; }

    public SystemTables SystemTables { get; }

    public DuckDbStorage Storage { get; }

    public QueryLayer Layer { get; }

    public async Task WriteAsync(string database, string lines)
    {
        var validated = WriteValidator.Validate(Catalog, database, new LineProtocolParser().Parse(lines, Precision.Auto, 0), acceptPartial: true);
        validated.Errors.ShouldBeEmpty();
        await Storage.WriteAsync(validated, new WriteOptions());
    }

    public Task<QueryResult> QueryAsync(string database, string sql, Dictionary<string, object?>? parameters = null) =>
        Layer.QueryAsync(database, sql, parameters ?? []);

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}

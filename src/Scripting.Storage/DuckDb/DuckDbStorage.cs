using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Queries;
using Scripting.Core.Writes;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// The DuckDB store: one DuckDB file per database under the data dir (<c>&lt;name&gt;.duckdb</c>), or
/// one in-memory instance per database when no data dir is given. It runs the statements the query
/// layer has checked, read-only (<see cref="Hardening"/>), and lends the layer DuckDB's parser.
/// </summary>
public sealed class DuckDbStorage : IWriteBuffer, ISqlEngine, IAsyncDisposable
{
    private readonly SchemaCatalog _catalog;
    private readonly string? _dataDirectory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<DatabaseStore>> _stores = new(StringComparer.Ordinal);

    /// <param name="dataDirectory">Where database files live; null keeps everything in memory.</param>
    private readonly WriteNotifier? _notifier;

    private readonly SystemTables? _systemTables;
    private readonly long? _queryMemoryLimit;
    private readonly DuckDbParser _parser = new();
    private readonly ExportDirectory _exports = new();

    /// <param name="queryMemoryLimit">What one database's queries may hold in memory (DuckDB spills or fails past it); null for DuckDB's default.</param>
    public DuckDbStorage(SchemaCatalog catalog, string? dataDirectory, ILogger<DuckDbStorage>? logger = null, WriteNotifier? notifier = null, SystemTables? systemTables = null,
        long? queryMemoryLimit = null)
    {
        _queryMemoryLimit = queryMemoryLimit;
        _notifier = notifier;
        _systemTables = systemTables;
        _catalog = catalog;
        _dataDirectory = dataDirectory;
        _logger = logger ?? NullLogger<DuckDbStorage>.Instance;
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
        }

        catalog.DatabaseDeleted += Drop;

        // Open every database now so a write-ahead log left by a crash is replayed at start-up.
        foreach (var database in catalog.Databases)
        {
            _ = Store(database.Name);
        }
    }

    public Task WriteAsync(ValidatedWrite write, WriteOptions options, CancellationToken cancellationToken = default) =>
        write.RowCount == 0 ? Task.CompletedTask : Store(write.Database).WriteAsync(write, options.NoSync);

    public string Parse(string sql) => _parser.Parse(sql);

    public string Render(string tree) => _parser.Render(tree);

    public IQueryStream Execute(string database, CheckedStatement statement, CancellationToken cancellationToken) =>
        Store(database).Execute(statement, cancellationToken);

    public async Task ExportParquetAsync(string database, CheckedStatement statement, Stream destination, CancellationToken cancellationToken)
    {
        var pipe = _exports.CreatePipe();
        try
        {
            await Store(database).ExportParquetAsync(statement, pipe, destination, cancellationToken);
        }
        finally
        {
            File.Delete(pipe);
        }
    }

    public string? Fault => _stores.Values.Where(s => s.IsValueCreated).Select(s => s.Value.Probe()).FirstOrDefault(f => f is not null);

    private DatabaseStore Store(string database) =>
        _stores.GetOrAdd(database, name => new Lazy<DatabaseStore>(() => Open(name))).Value;

    private DatabaseStore Open(string name)
    {
        var tables = _catalog.Find(name)?.Tables.Values ?? throw ScriptingException.DatabaseNotFound(name);
        var source = _dataDirectory is null ? ":memory:" : FilePath(name);
        try
        {
            return new DatabaseStore(name, $"Data Source={source}", tables, _logger, _notifier, _systemTables, _queryMemoryLimit, _exports.Path);
        }
        catch (DuckDB.NET.Data.DuckDBException error)
        {
            throw new ScriptingException(ErrorKind.Internal, $"cannot open the store of database '{name}' ({source}): {error.Message}");
        }
    }

    private string FilePath(string database) => Path.Combine(_dataDirectory!, Uri.EscapeDataString(database) + ".duckdb");

    private void Drop(string database)
    {
        if (_stores.TryRemove(database, out var store) && store.IsValueCreated)
        {
            store.Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (_dataDirectory is not null)
        {
            File.Delete(FilePath(database));
            File.Delete(FilePath(database) + ".wal");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _catalog.DatabaseDeleted -= Drop;
        foreach (var store in _stores.Values.Where(s => s.IsValueCreated))
        {
            await store.Value.DisposeAsync();
        }

        _stores.Clear();
        _parser.Dispose();
        _exports.Dispose();
    }
}

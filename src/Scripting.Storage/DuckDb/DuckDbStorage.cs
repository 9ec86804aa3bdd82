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
/// one in-memory instance per database when no data dir is given.
/// </summary>
public sealed class DuckDbStorage : IWriteBuffer, IQueryExecutor, IAsyncDisposable
{
    private readonly SchemaCatalog _catalog;
    private readonly string? _dataDirectory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<DatabaseStore>> _stores = new(StringComparer.Ordinal);

    /// <param name="dataDirectory">Where database files live; null keeps everything in memory.</param>
    private readonly WriteNotifier? _notifier;

    private readonly SystemTables? _systemTables;

    public DuckDbStorage(SchemaCatalog catalog, string? dataDirectory, ILogger<DuckDbStorage>? logger = null, WriteNotifier? notifier = null, SystemTables? systemTables = null)
    {
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

    public Task<QueryResult> QueryAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken = default)
    {
        _catalog.Get(database);
        return Task.Run(() => Store(database).Query(sql, parameters, cancellationToken), cancellationToken);
    }

    public async Task ExportParquetAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, Stream destination, CancellationToken cancellationToken = default)
    {
        _catalog.Get(database);
        var path = Path.Combine(Path.GetTempPath(), $"scripting-{Guid.NewGuid():N}.parquet");
        try
        {
            await Task.Run(() => Store(database).ExportParquet(sql, parameters, path), cancellationToken);
            await using var file = File.OpenRead(path);
            await file.CopyToAsync(destination, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private DatabaseStore Store(string database) =>
        _stores.GetOrAdd(database, name => new Lazy<DatabaseStore>(() => Open(name))).Value;

    private DatabaseStore Open(string name)
    {
        var tables = _catalog.Find(name)?.Tables.Values ?? throw ScriptingException.DatabaseNotFound(name);
        var source = _dataDirectory is null ? ":memory:" : FilePath(name);
        try
        {
            return new DatabaseStore(name, $"Data Source={source}", tables, _logger, _notifier, _systemTables);
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
    }
}

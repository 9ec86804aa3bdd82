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
///
/// A database costs nothing until it is used: its file is opened on its first write or query (DuckDB
/// replays a write-ahead log left by a crash then), and closed again once it has had nothing to do for
/// <see cref="IdleTimeout"/>, or sooner, least recently used first, when more than
/// <see cref="MaxOpenStores"/> are open. So a server with a thousand databases starts as fast as one
/// with one, and its threads and memory follow the databases in use, not the databases held. Stores
/// in memory are never closed: they are the data.
/// </summary>
public sealed class DuckDbStorage : IWriteBuffer, ISqlEngine, IAsyncDisposable
{
    private readonly SchemaCatalog _catalog;
    private readonly string? _dataDirectory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, StoreEntry> _stores = new(StringComparer.Ordinal);
    private readonly WriteNotifier _notifier;
    private readonly SystemTables _systemTables;
    private readonly long? _queryMemoryLimit;
    private readonly DuckDbParser _parser = new();
    private readonly ExportDirectory _exports = new();
    private readonly Timer? _idleTimer;
    private int _closingIdle;

    /// <param name="commits">Told of every commit, so write triggers run on what became durable.</param>
    /// <param name="systemTables">The tables of <c>system.*</c> that this store's SQL answers from.</param>
    /// <param name="dataDirectory">Where database files live; null keeps everything in memory.</param>
    /// <param name="queryMemoryLimit">What one database's queries may hold in memory (DuckDB spills or fails past it); null for DuckDB's default.</param>
    /// <param name="idleTimeout">How long an unused database stays open; five minutes when null.</param>
    /// <param name="maxOpenStores">How many databases may be open before idle ones are closed to make room.</param>
    public DuckDbStorage(SchemaCatalog catalog, WriteNotifier commits, SystemTables systemTables, string? dataDirectory, ILogger<DuckDbStorage>? logger = null,
        long? queryMemoryLimit = null, TimeSpan? idleTimeout = null, int maxOpenStores = 64)
    {
        _queryMemoryLimit = queryMemoryLimit;
        _notifier = commits;
        _systemTables = systemTables;
        _catalog = catalog;
        _dataDirectory = dataDirectory;
        _logger = logger ?? NullLogger<DuckDbStorage>.Instance;
        IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(5);
        MaxOpenStores = maxOpenStores;
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            var period = TimeSpan.FromMilliseconds(Math.Clamp(IdleTimeout.TotalMilliseconds / 4, 50, 30_000));
            _idleTimer = new Timer(_ => CloseIdle(), null, period, period);
        }

        catalog.DatabaseDeleted += Drop;
    }

    public TimeSpan IdleTimeout { get; }

    public int MaxOpenStores { get; }

    /// <summary>Databases whose store is open now.</summary>
    public int OpenStores => _stores.Values.Count(e => e.Store is not null);

    public Task WriteAsync(ValidatedWrite write, WriteOptions options, CancellationToken cancellationToken = default) =>
        write.RowCount == 0 ? Task.CompletedTask : Held(write.Database).WriteAsync(write, options.NoSync);

    public string Parse(string sql) => _parser.Parse(sql);

    public string Render(string tree) => _parser.Render(tree);

    public IQueryStream Execute(string database, CheckedStatement statement, CancellationToken cancellationToken)
    {
        var store = Held(database);
        try
        {
            return new HeldStream(store.Execute(statement, cancellationToken), store);
        }
        catch
        {
            store.LetGo();
            throw;
        }
    }

    public async Task ExportParquetAsync(string database, CheckedStatement statement, Stream destination, CancellationToken cancellationToken)
    {
        var pipe = _exports.CreatePipe();
        var store = Held(database);
        try
        {
            await store.ExportParquetAsync(statement, pipe, destination, cancellationToken);
        }
        finally
        {
            store.LetGo();
            File.Delete(pipe);
        }
    }

    public string? Fault
    {
        get
        {
            foreach (var entry in _stores.Values)
            {
                lock (entry)
                {
                    if (entry.Store?.Probe() is { } fault)
                    {
                        return fault;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>The database's store, opened if it is not, with one <see cref="DatabaseStore.Hold"/> the caller lets go of.</summary>
    private DatabaseStore Held(string database)
    {
        var entry = _stores.GetOrAdd(database, _ => new StoreEntry());
        lock (entry)
        {
            if (entry.Store is null)
            {
                MakeRoom();
                entry.Store = Open(database);
            }

            entry.Store.Hold();
            return entry.Store;
        }
    }

    private DatabaseStore Open(string name)
    {
        var tables = _catalog.FindReadable(name)?.Tables.Values ?? throw ScriptingException.DatabaseNotFound(name);
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

    /// <summary>Closes the least recently used idle stores while too many are open. Entries being used elsewhere are skipped, never waited for.</summary>
    private void MakeRoom()
    {
        if (_dataDirectory is null || OpenStores < MaxOpenStores)
        {
            return;
        }

        foreach (var entry in _stores.Values.Where(e => e.Store is not null).OrderBy(e => e.Store?.LastUsed ?? long.MaxValue))
        {
            if (OpenStores < MaxOpenStores)
            {
                return;
            }

            CloseIf(entry, TimeSpan.Zero);
        }
    }

    private void CloseIdle()
    {
        if (Interlocked.Exchange(ref _closingIdle, 1) != 0)
        {
            return;
        }

        try
        {
            foreach (var entry in _stores.Values)
            {
                CloseIf(entry, IdleTimeout);
            }
        }
        finally
        {
            Volatile.Write(ref _closingIdle, 0);
        }
    }

    private void CloseIf(StoreEntry entry, TimeSpan idle)
    {
        if (!Monitor.TryEnter(entry))
        {
            return;
        }

        try
        {
            if (entry.Store is { } store && store.IsIdle(idle))
            {
                entry.Store = null;
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "closing the idle store of a database failed");
        }
        finally
        {
            Monitor.Exit(entry);
        }
    }

    private string FilePath(string database) => Path.Combine(_dataDirectory!, Uri.EscapeDataString(database) + ".duckdb");

    private void Drop(string database)
    {
        if (_stores.TryRemove(database, out var entry))
        {
            lock (entry)
            {
                entry.Store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                entry.Store = null;
            }
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
        if (_idleTimer is not null)
        {
            await _idleTimer.DisposeAsync();
        }

        foreach (var entry in _stores.Values)
        {
            DatabaseStore? store;
            lock (entry)
            {
                store = entry.Store;
                entry.Store = null;
            }

            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }

        _stores.Clear();
        _parser.Dispose();
        _exports.Dispose();
    }

    private sealed class StoreEntry
    {
        public DatabaseStore? Store { get; set; }
    }

    /// <summary>A query's stream that lets go of its store's hold when disposed.</summary>
    private sealed class HeldStream(IQueryStream inner, DatabaseStore store) : IQueryStream
    {
        private int _disposed;

        public Apache.Arrow.Schema Schema => inner.Schema;

        public Apache.Arrow.RecordBatch? ReadNext() => inner.ReadNext();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                inner.Dispose();
                store.LetGo();
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Queries;
using Scripting.Core.Writes;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// One database: one DuckDB file (or in-memory instance), one writer connection, a pool of readers.
///
/// Group commit. Problem: DuckDB makes a transaction durable by syncing its WAL on commit, which costs
/// a disk flush; one commit per HTTP request would cap ingest at the disk's flush rate. Constraint: a
/// write may only be acknowledged once durable. Design: requests enqueue their validated rows and
/// wait; a single writer loop drains everything queued, appends it through DuckDB's Appender in one
/// transaction, commits once, then completes every waiting request. Under load, batches grow and the
/// flush cost is shared; when idle, a lone write commits at once. If a group fails, its writes are
/// retried one by one so a single bad write cannot sink the others.
/// </summary>
internal sealed partial class DatabaseStore : IAsyncDisposable
{
    private const int MaxRowsPerGroup = 500_000;
    private static readonly TimeSpan IdleCheckpointDelay = TimeSpan.FromSeconds(1);
    private readonly DuckDBConnection _writer;
    private readonly SchemaSynchronizer _schema;
    private readonly SeriesIndex _series = new();
    private readonly PointMerger _merger;
    private readonly RewriteLog _rewrites;
    private readonly ConcurrentBag<DuckDBConnection> _readers = [];
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly Task _loop;
    private int _disposed;

    private readonly WriteNotifier _notifier;

    private readonly SystemTables _systemTables;
    private readonly long? _queryMemoryLimit;
    private string? _writeFault;

    public DatabaseStore(string name, string connectionString, IEnumerable<TableDefinition> tables, ILogger logger, WriteNotifier notifier, SystemTables systemTables,
        long? queryMemoryLimit = null, string? exportDirectory = null)
    {
        _queryMemoryLimit = queryMemoryLimit;
        _notifier = notifier;
        _systemTables = systemTables;
        Name = name;
        _logger = logger;
        _connectionString = connectionString;
        _inMemory = connectionString.Contains(":memory:", StringComparison.Ordinal);
        _writer = new DuckDBConnection(connectionString);
        _writer.Open();
        _rewrites = new RewriteLog(_writer);
        _rewrites.Initialize();
        _schema = new SchemaSynchronizer(_writer, _rewrites);
        _schema.Initialize(tables);
        _merger = new PointMerger(_writer, _rewrites);
        CompactRewrites(atLeast: 1);
        Hardening.Apply(_writer, queryMemoryLimit, exportDirectory);
        _loop = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public string Name { get; }

    /// <summary>Queues a write; the caller's <see cref="Hold"/> is let go once the write is committed or has failed.</summary>
    public Task WriteAsync(ValidatedWrite write, bool noSync)
    {
        var pending = new PendingWrite(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            LetGo();
            throw new ObjectDisposedException(nameof(DatabaseStore));
        }

        if (noSync)
        {
            pending.Done.Task.ContinueWith(
                t => _logger.LogError(t.Exception, "write with no_sync to database '{Database}' failed after it was acknowledged", Name),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
            return Task.CompletedTask;
        }

        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingWrite>();
        var written = false;
        while (await NextAsync(written).ConfigureAwait(false))
        {
            written = true;
            group.Clear();
            var rows = 0;
            while (rows < MaxRowsPerGroup && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
                rows += next.Write.RowCount;
            }

            try
            {
                Commit(group);
                _writeFault = null;
                Announce(group);
                foreach (var pending in group)
                {
                    pending.Done.TrySetResult();
                }
            }
            catch (Exception groupError) when (group.Count > 1)
            {
                _logger.LogWarning(groupError, "group commit of {Count} writes to '{Database}' failed; retrying them one by one", group.Count, Name);
                foreach (var pending in group)
                {
                    try
                    {
                        Commit([pending]);
                        _writeFault = null;
                        Announce([pending]);
                        pending.Done.TrySetResult();
                    }
                    catch (Exception error)
                    {
                        pending.Done.TrySetException(Failed(error));
                    }
                }
            }
            catch (Exception error)
            {
                group[0].Done.TrySetException(Failed(error));
            }

            foreach (var _ in group)
            {
                LetGo();
            }
        }
    }

    /// <summary>
    /// Waits for the next write. After a commit, a second without writes compacts the rewrite logs and
    /// checkpoints first: DuckDB then folds the write-ahead log, merged points included, into compressed
    /// row groups, so queries read the compact form instead of the log's, and a query after a burst of
    /// rewrites costs what it cost before them.
    /// </summary>
    private async Task<bool> NextAsync(bool written)
    {
        if (!written || _queue.Reader.TryPeek(out _) || _inMemory)
        {
            return await _queue.Reader.WaitToReadAsync().ConfigureAwait(false);
        }

        var next = _queue.Reader.WaitToReadAsync().AsTask();
        if (await Task.WhenAny(next, Task.Delay(IdleCheckpointDelay)).ConfigureAwait(false) != next)
        {
            CompactRewrites(atLeast: 1);
            try
            {
                using var checkpoint = _writer.CreateCommand();
                checkpoint.CommandText = "CHECKPOINT";
                checkpoint.ExecuteNonQuery();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _logger.LogDebug(error, "checkpoint of '{Database}' after its writes failed; DuckDB checkpoints again later", Name);
            }
        }

        return await next.ConfigureAwait(false);
    }

    /// <summary>The error a failed commit reports; a disk failure also marks the database as not writable until a commit succeeds.</summary>
    private Exception Failed(Exception error)
    {
        if (StorageFailure.Recognize(error) is { } disk)
        {
            _writeFault = $"database '{Name}' cannot be written: {disk.Message}";
            return disk;
        }

        return error;
    }

    /// <summary>Tells write triggers what was committed; they queue it and return at once.</summary>
    private void Announce(List<PendingWrite> group)
    {
        if (_notifier.HasListeners)
        {
            try
            {
                _notifier.Publish(group.Select(p => p.Write).ToList());
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _logger.LogError(error, "announcing committed writes to '{Database}' failed", Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        _writer.Dispose();
    }

    private sealed record PendingWrite(ValidatedWrite Write, TaskCompletionSource Done);
}

using Apache.Arrow;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using Scripting.Core.Queries;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// One statement running on a reader connection, its result read as Arrow batches while DuckDB produces
/// them (streaming mode: a chunk at a time, never the whole result). The statement runs inside a
/// transaction that is always rolled back, so the connection goes back to the pool as it came: the
/// system tables filled for this query, and anything a statement might have created or changed, are gone.
/// Cancelling the token interrupts DuckDB, which stops the work.
/// </summary>
internal sealed class DuckDbQueryStream : IQueryStream
{
    private readonly DatabaseStore _store;
    private readonly DatabaseStore.ReaderLease _lease;
    private readonly DuckDBTransaction _transaction;
    private readonly DuckDBCommand _command;
    private readonly IArrowArrayStream? _result;
    private readonly CancellationTokenRegistration _cancel;
    private readonly CancellationToken _token;

    /// <param name="withResult">False for a statement that returns no rows (COPY): it runs to its end here.</param>
    public DuckDbQueryStream(DatabaseStore store, CheckedStatement statement, CancellationToken cancellationToken, bool withResult = true)
    {
        _store = store;
        _token = cancellationToken;
        _lease = store.LeaseReader();
        try
        {
            _transaction = _lease.Connection.BeginTransaction();
            store.MaterializeSystemTables(_lease.Connection, statement.SystemTables);
            _command = DatabaseStore.Command(_lease.Connection, statement.Sql, statement.Parameters);
            _command.UseStreamingMode = true;
            _cancel = cancellationToken.Register(_command.Cancel);
            cancellationToken.ThrowIfCancellationRequested();
            if (withResult)
            {
                _result = _command.ExecuteArrowStream();
            }
            else
            {
                _command.ExecuteNonQuery();
            }
        }
        catch (Exception error)
        {
            var translated = store.Translate(error, cancellationToken);
            Release();
            throw translated;
        }
    }

    public Schema Schema => _result?.Schema ?? new Schema([], null);

    public RecordBatch? ReadNext()
    {
        if (_result is null)
        {
            return null;
        }

        try
        {
            var next = _result.ReadNextRecordBatchAsync(CancellationToken.None);
            return next.IsCompleted ? next.Result : next.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception error)
        {
            throw _store.Translate(error, _token);
        }
    }

    public void Dispose() => Release();

    private void Release()
    {
        _cancel.Dispose();
        _result?.Dispose();
        _command?.Dispose();
        try
        {
            _transaction?.Rollback();
        }
        catch (DuckDBException)
        {
            _lease.Broken = true;
        }

        _transaction?.Dispose();
        _lease.Dispose();
    }
}

using System.Buffers;
using System.Threading.Channels;
using DuckDB.NET.Data;
using Scripting.Core.Errors;
using Scripting.Core.Queries;

namespace Scripting.Storage.DuckDb;

internal sealed partial class DatabaseStore
{
    private string? _fault;

    /// <summary>Why this database cannot be read or written now; null when it can.</summary>
    public string? Fault => _fault ?? _writeFault;

    public IQueryStream Execute(CheckedStatement statement, CancellationToken cancellationToken) =>
        statement.Sql.StartsWith("EXPLAIN (", StringComparison.Ordinal)
            ? Explain(statement, cancellationToken)
            : new DuckDbQueryStream(this, statement, cancellationToken);

    /// <summary>EXPLAIN in InfluxDB's rows (<see cref="PlanText"/>): the store's JSON plans, rendered, as the statement's result.</summary>
    private DuckDbQueryStream Explain(CheckedStatement statement, CancellationToken cancellationToken)
    {
        var plans = new List<(string Type, string Plan)>();
        using (var stream = new DuckDbQueryStream(this, statement, cancellationToken))
        {
            while (stream.ReadNext() is { } batch)
            {
                using (batch)
                {
                    for (var row = 0; row < batch.Length; row++)
                    {
                        var key = Text(batch.Column(0), row);
                        if (PlanText.PlanType(key) is { } type)
                        {
                            plans.Add((type, PlanText.Render(key, Text(batch.Column(1), row))));
                        }
                    }
                }
            }
        }

        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var values = new List<string>();
        for (var i = 0; i < plans.Count; i++)
        {
            parameters[$"type{i}"] = plans[i].Type;
            parameters[$"plan{i}"] = plans[i].Plan;
            values.Add($"($type{i}::VARCHAR, $plan{i}::VARCHAR)");
        }

        var sql = values.Count == 0
            ? "SELECT CAST(NULL AS VARCHAR) AS plan_type, CAST(NULL AS VARCHAR) AS plan WHERE false"
            : $"SELECT * FROM (VALUES {string.Join(", ", values)}) AS explained(plan_type, plan)";
        return new DuckDbQueryStream(this, new CheckedStatement(sql, parameters, []), cancellationToken);
    }

    private static string Text(Apache.Arrow.IArrowArray array, int index) => array switch
    {
        Apache.Arrow.StringArray text => text.GetString(index),
        Apache.Arrow.StringViewArray view => view.GetString(index),
        _ => string.Empty,
    };

    /// <summary>
    /// Runs <c>COPY (statement) TO pipe (FORMAT parquet)</c> and copies the pipe to <paramref name="destination"/>
    /// as DuckDB writes it, so the first bytes leave before the result is complete and nothing is kept whole.
    /// DuckDB's COPY and the blocking reads of the pipe each run on a thread of their own, never on the
    /// thread pool, which the requests need; chunks reach the request through a channel of four.
    /// </summary>
    public async Task ExportParquetAsync(CheckedStatement statement, string pipe, Stream destination, CancellationToken cancellationToken)
    {
        var copy = new CheckedStatement($"COPY ({statement.Sql}) TO {SqlNames.Literal(pipe)} (FORMAT parquet)", statement.Parameters, statement.SystemTables);
        var chunks = Channel.CreateBounded<(byte[] Buffer, int Length)>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var writer = OwnThread(() => RunToEnd(copy, cancellationToken));
        var reader = OwnThread(() => ReadPipe(pipe, chunks.Writer, cancellationToken));

        // DuckDB may fail before it opens the pipe; the reader, blocked opening it, is then let go.
        _ = writer.ContinueWith(_ => ExportDirectory.Release(pipe), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        try
        {
            await foreach (var (buffer, length) in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await destination.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        finally
        {
            await Task.WhenAll(writer.ContinueWith(_ => { }, TaskScheduler.Default), reader.ContinueWith(_ => { }, TaskScheduler.Default));
        }

        await writer;
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static Task OwnThread(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void ReadPipe(string pipe, ChannelWriter<(byte[] Buffer, int Length)> chunks, CancellationToken cancellationToken)
    {
        try
        {
            // Closing the read end (on cancellation) makes DuckDB's next write fail; its interrupt stops the rest.
            using var source = new FileStream(pipe, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
                var read = source.Read(buffer);
                if (read == 0 || !chunks.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult() || !chunks.TryWrite((buffer, read)))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
            }

            chunks.TryComplete();
        }
        catch (Exception error)
        {
            chunks.TryComplete(error);
        }
    }

    private void RunToEnd(CheckedStatement statement, CancellationToken cancellationToken)
    {
        using var stream = new DuckDbQueryStream(this, statement, cancellationToken, withResult: false);
    }

    /// <summary>Fills a temp table per system table the query reads, inside the query's transaction.</summary>
    internal void MaterializeSystemTables(DuckDBConnection connection, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            var table = _systemTables.Read(name, Name)
                        ?? throw new ScriptingException(ErrorKind.Internal, $"system table '{name}' is not registered with the store's system tables");
            var temp = QuerySchemas.SystemTable(name);
            using (var create = connection.CreateCommand())
            {
                var columns = string.Join(", ", table.Columns.Select(c => $"{SqlNames.Quote(c.Name)} {SqlType(c.Type)}"));
                create.CommandText = $"CREATE TEMP TABLE {SqlNames.Quote(temp)} ({columns})";
                create.ExecuteNonQuery();
            }

            using var appender = connection.CreateAppender("temp", "main", temp);
            foreach (var row in table.Rows)
            {
                var appended = appender.CreateRow();
                for (var i = 0; i < row.Length; i++)
                {
                    appended = row[i] switch
                    {
                        null => appended.AppendNullValue(),
                        string text => appended.AppendValue(text),
                        bool flag => appended.AppendValue((bool?)flag),
                        long number when table.Columns[i].Type == QueryColumnType.Timestamp => appended.AppendValue((DateTime?)DateTime.UnixEpoch.AddTicks(number / 100)),
                        long number => appended.AppendValue((long?)number),
                        double number => appended.AppendValue((double?)number),
                        var other => appended.AppendValue(other.ToString()),
                    };
                }

                appended.EndRow();
            }
        }
    }

    private static string SqlType(QueryColumnType type) => type switch
    {
        QueryColumnType.Timestamp => "TIMESTAMP",
        QueryColumnType.Integer => "BIGINT",
        QueryColumnType.UInteger => "UBIGINT",
        QueryColumnType.Float => "DOUBLE",
        QueryColumnType.Boolean => "BOOLEAN",
        _ => "VARCHAR",
    };

    /// <summary>A reader connection from the pool, opened on first use; back to the pool on dispose unless broken.</summary>
    internal ReaderLease LeaseReader()
    {
        if (!_readers.TryTake(out var connection))
        {
            connection = _inMemory ? _writer.Duplicate() : new DuckDBConnection(_connectionString);
            connection.Open();
            using var setup = connection.CreateCommand();
            setup.CommandText = DataFusionFunctions.Definitions;
            setup.ExecuteNonQuery();
        }

        return new ReaderLease(this, connection);
    }

    internal sealed class ReaderLease(DatabaseStore store, DuckDBConnection connection) : IDisposable
    {
        public DuckDBConnection Connection => connection;

        public bool Broken { get; set; }

        public void Dispose()
        {
            if (Broken)
            {
                connection.Dispose();
            }
            else
            {
                store._readers.Add(connection);
            }
        }
    }

    /// <summary>What a failed query reports: cancellation as such, the memory limit and an unusable store in words, the rest as a query error.</summary>
    internal Exception Translate(Exception error, CancellationToken cancellationToken)
    {
        if (error is ScriptingException or OperationCanceledException)
        {
            return error;
        }

        if (cancellationToken.IsCancellationRequested || error.Message.StartsWith("INTERRUPT Error", StringComparison.Ordinal))
        {
            return new OperationCanceledException("the query was cancelled", error, cancellationToken);
        }

        if (error.Message.Contains("Out of Memory Error", StringComparison.Ordinal))
        {
            var limit = _queryMemoryLimit is { } bytes ? $" of {bytes / (1024 * 1024)} MiB" : string.Empty;
            return new ScriptingException(ErrorKind.BadRequest,
                $"query stopped: it needs more memory than the query memory limit{limit} (--query-memory-limit); narrow its time range or aggregate more");
        }

        if (error.Message.Contains("database has been invalidated", StringComparison.Ordinal))
        {
            _fault = $"database '{Name}' cannot be read: its store failed and needs a restart ({Cause(error.Message)})";
            return new ScriptingException(ErrorKind.Unavailable, _fault);
        }

        return error is DuckDBException
            ? new ScriptingException(ErrorKind.BadRequest, $"error while planning or running the query: {DataFusionErrors.Translate(Cause(error.Message))}")
            : error;
    }

    /// <summary>
    /// DuckDB's message without its category prefix and without the excerpt of the statement it ran (that
    /// is the translated text, not what the user wrote).
    /// </summary>
    private static string Cause(string message)
    {
        // The statement excerpt and the store's suggestions ("Did you mean", candidates) are cut.
        var cut = message.IndexOf("\n\nLINE ", StringComparison.Ordinal);
        var cause = (cut >= 0 ? message[..cut] : message).Trim();
        foreach (var marker in (string[])["\nDid you mean", "\n\tCandidate", "\nCandidate", "\nEither add it", "\n\nCandidate"])
        {
            var at = cause.IndexOf(marker, StringComparison.Ordinal);
            cause = at >= 0 ? cause[..at].Trim() : cause;
        }

        var category = ErrorCategory().Match(cause);
        return category.Success ? cause[category.Length..] : cause;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z][A-Za-z]*( [A-Z][A-Za-z]*)* Error: ")]
    private static partial System.Text.RegularExpressions.Regex ErrorCategory();

    internal static DuckDBCommand Command(DuckDBConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        }

        return command;
    }

    /// <summary>Asks the store whether it still answers; a failure marks it faulty.</summary>
    public string? Probe()
    {
        try
        {
            using var lease = LeaseReader();
            using var command = lease.Connection.CreateCommand();
            command.CommandText = "SELECT 1";
            command.ExecuteScalar();
            return Fault;
        }
        catch (Exception error)
        {
            return _fault = $"database '{Name}' cannot be read: {Cause(error.Message)}";
        }
    }
}

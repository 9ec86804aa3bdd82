using System.Collections.Concurrent;
using Scripting.Core.Queries;

namespace Scripting.Query;

/// <summary>
/// The last queries each database answered, behind <c>system.queries</c> as in InfluxDB 3: text, phase
/// (<c>received</c>, <c>planned</c>, <c>success</c>, <c>fail</c>, <c>cancel</c>), when it was issued and how long
/// planning, waiting for a place and running took. Bounded: the oldest entries go first.
/// </summary>
public sealed class QueryLog(TimeProvider time, int capacity = 1_000)
{
    private static readonly QueryColumn[] Columns =
    [
        new("id", QueryColumnType.String), new("phase", QueryColumnType.String), new("issue_time", QueryColumnType.Timestamp),
        new("query_type", QueryColumnType.String), new("query_text", QueryColumnType.String), new("partitions", QueryColumnType.Integer),
        new("parquet_files", QueryColumnType.Integer), new("plan_duration", QueryColumnType.Integer), new("permit_duration", QueryColumnType.Integer),
        new("execute_duration", QueryColumnType.Integer), new("end2end_duration", QueryColumnType.Integer), new("compute_duration", QueryColumnType.Integer),
        new("max_memory", QueryColumnType.Integer), new("success", QueryColumnType.Boolean), new("running", QueryColumnType.Boolean),
        new("cancelled", QueryColumnType.Boolean), new("trace_id", QueryColumnType.String),
    ];

    private readonly ConcurrentQueue<QueryLogEntry> _entries = new();

    /// <summary>Starts an entry for a query that has just arrived.</summary>
    public QueryLogEntry Begin(string database, string queryType, string text)
    {
        var entry = new QueryLogEntry(database, queryType, text, time);
        _entries.Enqueue(entry);
        while (_entries.Count > capacity && _entries.TryDequeue(out _))
        {
        }

        return entry;
    }

    /// <summary>The entries of <paramref name="database"/>, oldest first (durations in nanoseconds).</summary>
    public QueryResult Read(string database) => new(Columns, [.. _entries.Where(e => e.Database == database).Select(e => e.Row())]);
}

/// <summary>One query of the log; its phase and durations change as the query goes on.</summary>
public sealed class QueryLogEntry
{
    private readonly TimeProvider _time;
    private readonly long _issued;
    private readonly long _issueTime;
    private long? _planned;
    private long? _permitted;
    private long? _ended;
    private volatile string _phase = "received";
    private bool? _success;

    internal QueryLogEntry(string database, string queryType, string text, TimeProvider time)
    {
        Database = database;
        QueryType = queryType;
        Text = text;
        _time = time;
        _issued = time.GetTimestamp();
        _issueTime = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
    }

    public string Id { get; } = Guid.NewGuid().ToString();

    public string Database { get; }

    public string QueryType { get; }

    public string Text { get; }

    public void Planned() => (_planned, _phase) = (_time.GetTimestamp(), "planned");

    public void Permitted() => (_permitted, _phase) = (_time.GetTimestamp(), "permit");

    /// <summary>The query's end: it answered, failed or was cancelled. Only the first call counts.</summary>
    public void End(bool success, bool cancelled = false)
    {
        if (_ended is not null)
        {
            return;
        }

        _ended = _time.GetTimestamp();
        _success = success;
        _phase = success ? "success" : cancelled ? "cancel" : "fail";
    }

    internal object?[] Row()
    {
        long? Nanoseconds(long? from, long? to) => from is { } start && to is { } end ? (long)(_time.GetElapsedTime(start, end).Ticks * 100) : null;
        var running = _ended is null;
        return
        [
            Id, _phase, _issueTime, QueryType, Text, null, null,
            Nanoseconds(_issued, _planned), Nanoseconds(_planned, _permitted), Nanoseconds(_permitted, _ended), Nanoseconds(_issued, _ended), Nanoseconds(_permitted, _ended),
            null, _success ?? false, running, _phase == "cancel", null,
        ];
    }
}

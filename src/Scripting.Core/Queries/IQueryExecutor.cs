namespace Scripting.Core.Queries;

public enum QueryColumnType
{
    /// <summary>Values are long nanoseconds since the Unix epoch.</summary>
    Timestamp,
    Integer,
    UInteger,
    Float,
    String,
    Boolean,

    /// <summary>Values are long nanoseconds (the difference of two timestamps).</summary>
    Duration,
    Other,
}

public sealed record QueryColumn(string Name, QueryColumnType Type)
{
    /// <summary>For a timestamp column, the time zone its values are shown in (<c>tz(time, 'Europe/Paris')</c>); null for UTC without a zone.</summary>
    public string? TimeZone { get; init; }
}

public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>Runs InfluxDB 3 SQL against one database and hands back the whole result (plugins' <c>query</c>).</summary>
public interface IQueryExecutor
{
    /// <param name="parameters">Values for <c>$name</c> placeholders; bound, never spliced into the text.</param>
    Task<QueryResult> QueryAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken = default);
}

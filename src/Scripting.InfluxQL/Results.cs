namespace Scripting.InfluxQL;

/// <summary>
/// A series of an InfluxQL result, as v1's <c>/query</c> lays it out: a name (a measurement, or what a SHOW
/// statement lists), the group's tags, the columns and the rows. A <c>time</c> column holds nanoseconds
/// since the epoch (the formats write them as RFC 3339 or in the requested epoch unit).
/// </summary>
public sealed record Series(string? Name, IReadOnlyDictionary<string, string>? Tags, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Values)
{
    /// <summary>The index of the column that holds nanosecond timestamps, or -1.</summary>
    public int TimeColumn { get; init; } = -1;
}

/// <summary>One statement's answer: its series, or the error that stopped it (which does not stop the others).</summary>
public sealed record StatementResult(int StatementId, IReadOnlyList<Series> Series, string? Error);

namespace Scripting.PluginApi;

/// <summary>The rows written to one table, as <c>process_writes</c> receives them.</summary>
/// <param name="TableName">The table.</param>
/// <param name="Rows">One dictionary per row: tags (string), fields (long, ulong, double, string, bool) and <c>time</c> (long nanoseconds). Columns absent from a line are absent from its row.</param>
public sealed record TableBatch(string TableName, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows)
{
    /// <summary>The Python spelling of <see cref="TableName"/>.</summary>
    public string table_name => TableName;

    /// <summary>The Python spelling of <see cref="Rows"/>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> rows => Rows;
}

/// <summary>An HTTP response from <c>process_request</c>, like Flask's <c>(body, status, headers)</c>.</summary>
/// <param name="Body">A string (text/html), a byte array, or any object (serialised as JSON).</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Headers">Headers set on the response, over the defaults.</param>
public sealed record PluginResponse(object? Body, int Status = 200, IReadOnlyDictionary<string, string>? Headers = null);

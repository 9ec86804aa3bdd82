using Apache.Arrow;
using Scripting.Core.Queries;
using Scripting.Query.Results;

namespace Scripting.Query;

/// <summary>
/// A running query: its columns and its batches as the store produces them. Holds the query's place and
/// its deadline; disposing it stops the work and frees both.
/// </summary>
public sealed class QueryCursor : IDisposable
{
    private readonly IQueryStream _stream;
    private readonly QueryDeadline _deadline;
    private readonly IDisposable _place;
    private readonly Schema _schema;

    internal QueryCursor(IQueryStream stream, QueryDeadline deadline, IDisposable place, IReadOnlyList<string>? columnNames)
    {
        _stream = stream;
        _deadline = deadline;
        _place = place;
        _schema = columnNames is null ? stream.Schema : Renamed(stream.Schema, columnNames);
        Columns = ArrowValues.Columns(_schema);
    }

    public IReadOnlyList<QueryColumn> Columns { get; }

    public Schema Schema => _schema;

    /// <summary>The next batch, or null at the end; a failure says what happened (timeout, memory, the query's own error).</summary>
    public RecordBatch? ReadNext()
    {
        try
        {
            var batch = _stream.ReadNext();
            return batch is null || ReferenceEquals(_schema, _stream.Schema) ? batch : new RecordBatch(_schema, batch.Arrays, batch.Length);
        }
        catch (Exception error) when (_deadline.Explain(error) is { } explained)
        {
            throw explained;
        }
    }

    private static Schema Renamed(Schema schema, IReadOnlyList<string> names)
    {
        var fields = schema.FieldsList.Select((f, i) => i < names.Count ? new Field(names[i], f.DataType, f.IsNullable, f.Metadata) : f);
        return new Schema(fields, schema.Metadata);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _deadline.Dispose();
        _place.Dispose();
    }
}

using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;

namespace Scripting.Core.Writes;

/// <summary>The rows of one table in a write, with the schema they were checked against.</summary>
public sealed record TableWrite(TableDefinition Schema, List<int> PointIndexes);

/// <summary>A parsed batch after the schema check: the rows to store per table, and the rejected lines.</summary>
/// <remarks>
/// A class, not a record: it counts who still holds its batch, and a copy (<c>with</c>) or value equality
/// would count wrong and recycle a batch still in use.
/// </remarks>
public sealed class ValidatedWrite(string database, LineProtocolBatch batch, IReadOnlyList<TableWrite> tables, IReadOnlyList<LineError> errors)
{
    private int _holders = 1;

    public string Database { get; } = database;

    public LineProtocolBatch Batch { get; } = batch;

    public IReadOnlyList<TableWrite> Tables { get; } = tables;

    public IReadOnlyList<LineError> Errors { get; } = errors;

    public int RowCount => Tables.Sum(t => t.PointIndexes.Count);

    /// <summary>
    /// How many plugin runs stand between this write and a client's: 0 for a client's write, 1 for a write
    /// made by a run that a client's write (or a schedule or a request) started, and so on. Write triggers
    /// are not fed writes past the engine's limit, which ends a plugin feeding on its own output.
    /// </summary>
    public int Generation { get; set; }

    /// <summary>
    /// Called once the last holder lets go of the batch, so its memory can be reused. The writer holds
    /// the write from the start; each write trigger that queues it holds it until its run ends.
    /// </summary>
    public Action<LineProtocolBatch>? Released { get; set; }

    public void Retain() => Interlocked.Increment(ref _holders);

    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            Released?.Invoke(Batch);
        }
    }
}

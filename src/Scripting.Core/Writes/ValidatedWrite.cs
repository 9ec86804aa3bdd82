using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;

namespace Scripting.Core.Writes;

/// <summary>The rows of one table in a write, with the schema they were checked against.</summary>
public sealed record TableWrite(TableDefinition Schema, List<int> PointIndexes);

/// <summary>A parsed batch after the schema check: the rows to store per table, and the rejected lines.</summary>
public sealed record ValidatedWrite(string Database, LineProtocolBatch Batch, IReadOnlyList<TableWrite> Tables, IReadOnlyList<LineError> Errors)
{
    public int RowCount => Tables.Sum(t => t.PointIndexes.Count);
}

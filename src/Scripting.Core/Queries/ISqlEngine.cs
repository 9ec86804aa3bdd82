using Apache.Arrow;

namespace Scripting.Core.Queries;

/// <summary>
/// What the query layer needs from a store: its SQL parser (text to syntax tree and back) and a read-only
/// executor for statements the layer has checked and rendered. Nothing reaches it unchecked.
/// </summary>
public interface ISqlEngine
{
    /// <summary>Parses SQL into the engine's syntax tree (JSON); a statement that is not a query comes back as an error.</summary>
    string Parse(string sql);

    /// <summary>Renders a (checked, translated) syntax tree back into SQL the engine runs.</summary>
    string Render(string tree);

    /// <summary>Starts a statement on one database; batches arrive as the engine produces them.</summary>
    IQueryStream Execute(string database, CheckedStatement statement, CancellationToken cancellationToken);

    /// <summary>Writes the result as one Parquet file to <paramref name="destination"/> while it is produced.</summary>
    Task ExportParquetAsync(string database, CheckedStatement statement, Stream destination, CancellationToken cancellationToken);

    /// <summary>Null when every open database can be read and written; otherwise what is wrong.</summary>
    string? Fault { get; }
}

/// <summary>A rendered, read-only statement with the values of the parameters it uses and the system tables it reads.</summary>
public sealed record CheckedStatement(string Sql, IReadOnlyDictionary<string, object?> Parameters, IReadOnlyList<string> SystemTables);

/// <summary>A result arriving in Arrow record batches; disposing it stops the work and frees its connection.</summary>
public interface IQueryStream : IDisposable
{
    Schema Schema { get; }

    /// <summary>The next batch, or null at the end.</summary>
    RecordBatch? ReadNext();
}

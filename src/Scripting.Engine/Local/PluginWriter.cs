using System.Text;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.LineProtocol;
using Scripting.Core.Time;
using Scripting.Core.Writes;

namespace Scripting.Engine.Local;

/// <summary>Where a plugin's lines go: the store, or, for a dry run, a record of what would have been written.</summary>
public interface ILineSink
{
    /// <exception cref="ScriptingException">The lines were rejected; the message says why.</exception>
    /// <param name="database">The target database.</param>
    /// <param name="lines">Line protocol, one line each.</param>
    /// <param name="noSync">Answer before the write is durable.</param>
    /// <param name="generation">The <see cref="ValidatedWrite.Generation"/> of the write.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task WriteAsync(string database, IReadOnlyList<string> lines, bool noSync, int generation, CancellationToken cancellationToken = default);
}

/// <summary>Writes plugin output through the normal write path: nanosecond precision, all-or-nothing.</summary>
public sealed class PluginWriter(SchemaCatalog catalog, IWriteBuffer buffer, TimeProvider time) : ILineSink
{
    public async Task WriteAsync(string database, IReadOnlyList<string> lines, bool noSync, int generation, CancellationToken cancellationToken = default)
    {
        var invalid = Names.ValidateDatabaseName(database);
        if (invalid is not null)
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"invalid database name: {database}: {invalid}");
        }

        var now = UnixNanoseconds.Now(time);
        var batch = new LineProtocolParser().Parse(Encoding.UTF8.GetBytes(string.Join('\n', lines)).AsMemory(), Precision.Nanosecond, now);
        if (batch.Errors.Count > 0)
        {
            var error = batch.Errors[0];
            throw new ScriptingException(ErrorKind.BadRequest, $"error writing line protocol to {database}: line protocol parse failed: line {error.LineNumber}: {error.Message}");
        }

        var validated = WriteValidator.Validate(catalog, database, batch, acceptPartial: false);
        if (validated.Errors.Count > 0)
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"error writing line protocol to {database}: {validated.Errors[0].Message}");
        }

        validated.Generation = generation;
        await buffer.WriteAsync(validated, new WriteOptions(AcceptPartial: false, NoSync: noSync), cancellationToken);
    }
}

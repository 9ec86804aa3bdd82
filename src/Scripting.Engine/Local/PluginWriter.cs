using System.Text;
using Scripting.Core.Errors;
using Scripting.Core.LineProtocol;
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

/// <summary>Writes plugin output through the write path: nanosecond precision, all-or-nothing, in the words of InfluxDB 3's plugin errors.</summary>
public sealed class PluginWriter(WritePath writes) : ILineSink
{
    public async Task WriteAsync(string database, IReadOnlyList<string> lines, bool noSync, int generation, CancellationToken cancellationToken = default)
    {
        var check = writes.Check(database, Encoding.UTF8.GetBytes(string.Join('\n', lines)), Precision.Nanosecond, acceptPartial: false);
        switch (check.Refusal)
        {
            case WriteRefusal.InvalidDatabase:
                throw new ScriptingException(ErrorKind.BadRequest, $"invalid database name: {database}: {check.Reason}");
            case WriteRefusal.Parse:
                throw new ScriptingException(ErrorKind.BadRequest, $"error writing line protocol to {database}: line protocol parse failed: line {check.Line!.LineNumber}: {check.Line.Message}");
            case WriteRefusal.Schema:
                throw new ScriptingException(ErrorKind.BadRequest, $"error writing line protocol to {database}: {check.Line!.Message}");
            case WriteRefusal.Empty:
                return;
        }

        check.Write!.Generation = generation;
        await writes.StoreAsync(check.Write, new WriteOptions(AcceptPartial: false, NoSync: noSync), cancellationToken);
    }
}

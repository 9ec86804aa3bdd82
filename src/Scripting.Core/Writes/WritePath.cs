using System.Collections.Concurrent;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Time;

namespace Scripting.Core.Writes;

/// <summary>Why a write was refused before it reached the store.</summary>
public enum WriteRefusal
{
    None,

    /// <summary>The database name breaks the naming rules; <see cref="WriteCheck.Reason"/> says how.</summary>
    InvalidDatabase,

    /// <summary>No line at all.</summary>
    Empty,

    /// <summary>A line does not parse; <see cref="WriteCheck.Line"/> is the first such line.</summary>
    Parse,

    /// <summary>A line breaks the schema or a limit; <see cref="WriteCheck.Line"/> is the first such line.</summary>
    Schema,
}

/// <summary>What <see cref="WritePath.Check"/> found: the write to store, or why it was refused.</summary>
public sealed record WriteCheck(WriteRefusal Refusal, ValidatedWrite? Write = null, LineError? Line = null, string? Reason = null)
{
    public bool Refused => Refusal != WriteRefusal.None;
}

/// <summary>
/// The one path of every write: HTTP writes, plugin writes and dry runs. It parses (one parser per thread,
/// batches reused from a small pool), checks the database name, validates against the catalog (types,
/// schema limits; the parser gives each line its point identity) and hands the result to the store,
/// recycling the batch once nothing holds it. Callers only word the refusals as their protocol does.
/// </summary>
public sealed class WritePath(SchemaCatalog catalog, IWriteBuffer buffer, TimeProvider time)
{
    private const int MaxPooledBatches = 8;

    [ThreadStatic]
    private static LineProtocolParser? t_parser;

    private readonly ConcurrentQueue<LineProtocolBatch> _batches = new();

    /// <summary>
    /// Parses and validates <paramref name="lineProtocol"/> for <paramref name="database"/>. Without
    /// <paramref name="acceptPartial"/> the first bad line refuses the whole write; with it, bad lines are
    /// left out and listed in the write's errors. A dry run validates without creating tables or columns.
    /// </summary>
    public WriteCheck Check(string database, ReadOnlyMemory<byte> lineProtocol, Precision precision, bool acceptPartial, bool dryRun = false)
    {
        if (Names.ValidateDatabaseName(database) is { } invalid)
        {
            return new WriteCheck(WriteRefusal.InvalidDatabase, Reason: invalid);
        }

        _batches.TryDequeue(out var reused);
        var batch = (t_parser ??= new LineProtocolParser()).Parse(lineProtocol, precision, UnixNanoseconds.Now(time), reused);
        if (batch.LineCount == 0)
        {
            Recycle(batch);
            return new WriteCheck(WriteRefusal.Empty);
        }

        if (!acceptPartial && batch.Errors.Count > 0)
        {
            var line = batch.Errors[0];
            Recycle(batch);
            return new WriteCheck(WriteRefusal.Parse, Line: line);
        }

        var validated = dryRun
            ? WriteValidator.CheckOnly(catalog, database, batch, acceptPartial)
            : WriteValidator.Validate(catalog, database, batch, acceptPartial);
        if (!acceptPartial && validated.Errors.Count > 0)
        {
            var line = validated.Errors[0];
            Recycle(batch);
            return new WriteCheck(WriteRefusal.Schema, Line: line);
        }

        // A dry run's batch is not stored, so nothing releases it: it is left to the collector.
        return new WriteCheck(WriteRefusal.None, validated);
    }

    /// <summary>
    /// Stores a checked write and returns once the store has it (durably, unless no_sync). The batch goes
    /// back to the pool once it is committed and every write trigger that queued it has run.
    /// </summary>
    public async Task StoreAsync(ValidatedWrite write, WriteOptions options, CancellationToken cancellationToken = default)
    {
        if (!options.NoSync)
        {
            write.Released = Recycle;
        }

        await buffer.WriteAsync(write, options, cancellationToken);
        write.Release();
    }

    private void Recycle(LineProtocolBatch batch)
    {
        if (_batches.Count < MaxPooledBatches)
        {
            _batches.Enqueue(batch);
        }
    }
}

using System.Globalization;
using System.Threading.Channels;
using Apache.Arrow;
using Apache.Arrow.Types;
using Scripting.Core.Queries;
using Scripting.Query.Results;

namespace Scripting.Query;

/// <summary>
/// A running query: its columns and its batches as the store produces them. Holds the query's place and
/// its deadline; disposing it stops the work and frees both.
///
/// Threads. Problem: the store's calls block while it computes (planning, and each batch of a query that
/// aggregates before it yields anything can take seconds); run on thread-pool threads, a few heavy
/// queries take the threads that health checks, writes and small queries need, and the pool grows only
/// slowly, so those waited seconds. Design: each query runs on a thread of its own that hands batches
/// to the reader through a channel of two, so the request only awaits and memory holds at most a few
/// batches; the reader's pace holds the producer back.
/// </summary>
public sealed class QueryCursor : IAsyncDisposable
{
    private readonly Channel<RecordBatch> _batches = Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    private readonly QueryDeadline _deadline;
    private readonly IDisposable _place;
    private readonly IReadOnlyList<string>? _columnNames;
    private readonly IReadOnlyDictionary<string, string>? _zones;
    private readonly IReadOnlySet<string>? _durations;
    private readonly IReadOnlyDictionary<string, string>? _widths;
    private int[] _widened = [];
    private Task _producer = Task.CompletedTask;
    private TaskCompletionSource<Schema> _started = null!;
    private Schema _schema = null!;
    private Schema _storeSchema = null!;

    private QueryCursor(QueryDeadline deadline, IDisposable place, IReadOnlyList<string>? columnNames, IReadOnlyDictionary<string, string>? zones = null, IReadOnlySet<string>? durations = null, IReadOnlyDictionary<string, string>? widths = null)
    {
        _deadline = deadline;
        _place = place;
        _columnNames = columnNames;
        _zones = zones;
        _durations = durations;
        _widths = widths;
    }

    public IReadOnlyList<QueryColumn> Columns { get; private set; } = [];

    /// <summary>The query's entry in the query log: it ends when the last batch is read, the query fails or the cursor is let go early.</summary>
    internal QueryLogEntry? Log { get; set; }

    /// <summary>The result's columns that are a table's columns as they are, by name (Flight marks them with their InfluxDB column type).</summary>
    public IReadOnlySet<string> Sources { get; internal set; } = new HashSet<string>();

    public Schema Schema => _schema;

    /// <summary>Starts <paramref name="start"/> on the query's own thread; returns once the result's columns are known.</summary>
    internal static async Task<QueryCursor> StartAsync(Func<CancellationToken, IQueryStream> start, QueryDeadline deadline, IDisposable place, IReadOnlyList<string>? columnNames, IReadOnlyDictionary<string, string>? zones = null, IReadOnlySet<string>? durations = null, IReadOnlyDictionary<string, string>? widths = null)
    {
        var cursor = Begin(start, deadline, place, columnNames, zones, durations, widths);
        await cursor.StartedAsync();
        return cursor;
    }

    /// <summary>Starts <paramref name="start"/> on the query's own thread and returns at once; <see cref="StartedAsync"/> waits for the columns.</summary>
    internal static QueryCursor Begin(Func<CancellationToken, IQueryStream> start, QueryDeadline deadline, IDisposable place, IReadOnlyList<string>? columnNames, IReadOnlyDictionary<string, string>? zones = null, IReadOnlySet<string>? durations = null, IReadOnlyDictionary<string, string>? widths = null)
    {
        var cursor = new QueryCursor(deadline, place, columnNames, zones, durations, widths);
        cursor._started = new TaskCompletionSource<Schema>(TaskCreationOptions.RunContinuationsAsynchronously);
        cursor._producer = Task.Factory.StartNew(() => cursor.Produce(start, cursor._started), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return cursor;
    }

    /// <summary>Waits until the store has started the query; a failure to start disposes the cursor and says why.</summary>
    internal async Task StartedAsync()
    {
        try
        {
            _storeSchema = await _started.Task;
        }
        catch (Exception error)
        {
            var explained = _deadline.Explain(error);
            await DisposeAsync();
            if (explained is not null)
            {
                throw explained;
            }

            throw;
        }

        _schema = _columnNames is null ? _storeSchema : Renamed(_storeSchema, _columnNames);
        if (_zones is { Count: > 0 } || _durations is { Count: > 0 } || _widths is { Count: > 0 })
        {
            _schema = Typed(_schema, _zones, _durations, _widths);
            _widened = [.. Enumerable.Range(0, _schema.FieldsList.Count).Where(i => _schema.GetFieldByIndex(i).DataType.TypeId != _storeSchema.GetFieldByIndex(i).DataType.TypeId
                                                                                   && _schema.GetFieldByIndex(i).DataType is Int64Type or UInt64Type or DoubleType)];
        }

        Columns = ArrowValues.Columns(_schema);
    }

    private void Produce(Func<CancellationToken, IQueryStream> start, TaskCompletionSource<Schema> started)
    {
        IQueryStream stream;
        try
        {
            stream = start(_deadline.Token);
        }
        catch (Exception error)
        {
            started.TrySetException(error);
            _batches.Writer.TryComplete();
            return;
        }

        using (stream)
        {
            started.TrySetResult(stream.Schema);
            try
            {
                while (stream.ReadNext() is { } batch)
                {
                    if (!_batches.Writer.WaitToWriteAsync(_deadline.Token).AsTask().GetAwaiter().GetResult() || !_batches.Writer.TryWrite(batch))
                    {
                        batch.Dispose();
                        break;
                    }
                }

                _batches.Writer.TryComplete();
            }
            catch (Exception error)
            {
                _batches.Writer.TryComplete(error);
            }
        }
    }

    /// <summary>True when the query has started and its first batch (or its end, or an error) arrives within <paramref name="budget"/>.</summary>
    internal async Task<bool> ReadyWithinAsync(TimeSpan budget, TimeProvider time)
    {
        using var giveUp = new CancellationTokenSource();
        var ready = ReadyAsync();
        var winner = await Task.WhenAny(ready, Task.Delay(budget, time, giveUp.Token));
        await giveUp.CancelAsync();
        return winner == ready;
    }

    private async Task ReadyAsync()
    {
        try
        {
            await _started.Task;
            await _batches.Reader.WaitToReadAsync();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A failure is quick too; whoever reads next sees it.
        }
    }

    /// <summary>The next batch, or null at the end; a failure says what happened (timeout, memory, the query's own error).</summary>
    public async ValueTask<RecordBatch?> ReadNextAsync()
    {
        try
        {
            while (await _batches.Reader.WaitToReadAsync())
            {
                if (_batches.Reader.TryRead(out var batch))
                {
                    return ReferenceEquals(_schema, _storeSchema) ? batch : new RecordBatch(_schema, _widened.Length == 0 ? batch.Arrays : Widened(batch), batch.Length);
                }
            }

            Log?.End(success: true);
            return null;
        }
        catch (ChannelClosedException closed) when (closed.InnerException is { } inner)
        {
            var failure = _deadline.Explain(inner) ?? inner;
            Log?.End(success: false, cancelled: failure is OperationCanceledException);
            throw failure;
        }
        catch (Exception error) when (_deadline.Explain(error) is { } explained)
        {
            Log?.End(success: false);
            throw explained;
        }
        catch (Exception error)
        {
            Log?.End(success: false, cancelled: error is OperationCanceledException);
            throw;
        }
    }

    /// <summary>
    /// Timestamp columns with a zone (the values stay UTC instants, as Arrow's zoned timestamps are) and
    /// durations (nanoseconds, as Arrow's durations are).
    /// </summary>
    private static Schema Typed(Schema schema, IReadOnlyDictionary<string, string>? zones, IReadOnlySet<string>? durations, IReadOnlyDictionary<string, string>? widths)
    {
        var fields = schema.FieldsList.Select(f => (f.DataType, widths?.GetValueOrDefault(f.Name)) switch
        {
            (Int8Type or Int16Type or Int32Type or Decimal128Type { Scale: 0 }, "Int64") => new Field(f.Name, Int64Type.Default, f.IsNullable, f.Metadata),
            (UInt8Type or UInt16Type or UInt32Type, "UInt64") => new Field(f.Name, UInt64Type.Default, f.IsNullable, f.Metadata),
            (FloatType, "Float64") => new Field(f.Name, DoubleType.Default, f.IsNullable, f.Metadata),
            _ => Zoned(f, zones, durations),
        });
        return new Schema(fields, schema.Metadata);
    }

    private IArrowArray[] Widened(RecordBatch batch)
    {
        var arrays = batch.Arrays.ToArray();
        foreach (var i in _widened)
        {
            var store = arrays[i];
            arrays[i] = _schema.GetFieldByIndex(i).DataType switch
            {
                Int64Type => Build(new Int64Array.Builder(), store, v => v is decimal d ? (long)d : Convert.ToInt64(v, CultureInfo.InvariantCulture)),
                UInt64Type => Build(new UInt64Array.Builder(), store, v => Convert.ToUInt64(v, CultureInfo.InvariantCulture)),
                _ => Build(new DoubleArray.Builder(), store, v => Convert.ToDouble(v, CultureInfo.InvariantCulture)),
            };
            store.Dispose();
        }

        return arrays;
    }

    private static IArrowArray Build<T, TArray, TBuilder>(PrimitiveArrayBuilder<T, TArray, TBuilder> builder, IArrowArray store, Func<object, T> convert)
        where T : struct
        where TArray : IArrowArray
        where TBuilder : class, IArrowArrayBuilder<TArray>
    {
        builder.Reserve(store.Length);
        for (var r = 0; r < store.Length; r++)
        {
            if (store.IsNull(r))
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(convert(Value(store, r)!));
            }
        }

        return builder.Build(default);
    }

    /// <summary>A value of a store array the result widens: its integers and floats as they are, HUGEINT's as a decimal.</summary>
    private static object? Value(IArrowArray array, int index) => array switch
    {
        Decimal128Array decimals => decimals.GetValue(index),
        _ => ArrowValues.Get(array, index),
    };

    private static Field Zoned(Field f, IReadOnlyDictionary<string, string>? zones, IReadOnlySet<string>? durations) =>
        f.DataType switch
        {
            TimestampType timestamp when zones is not null && zones.TryGetValue(f.Name, out var zone) => new Field(f.Name, new TimestampType(timestamp.Unit, zone), f.IsNullable, f.Metadata),
            Int64Type when durations is not null && durations.Contains(f.Name) => new Field(f.Name, DurationType.Nanosecond, f.IsNullable, f.Metadata),
            _ => f,
        };

    private static Schema Renamed(Schema schema, IReadOnlyList<string> names)
    {
        var fields = schema.FieldsList.Select((f, i) => i < names.Count ? new Field(names[i], f.DataType, f.IsNullable, f.Metadata) : f);
        return new Schema(fields, schema.Metadata);
    }

    public async ValueTask DisposeAsync()
    {
        Log?.End(success: false, cancelled: true);
        _deadline.Stop();
        await _producer.ConfigureAwait(false);
        while (_batches.Reader.TryRead(out var unread))
        {
            unread.Dispose();
        }

        _deadline.Dispose();
        _place.Dispose();
    }
}

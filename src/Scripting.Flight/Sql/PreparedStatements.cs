using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Google.Protobuf;
using Grpc.Core;
using Scripting.Core.Time;
using Scripting.Query.Results;

namespace Scripting.Flight.Sql;

/// <summary>
/// Flight SQL's prepared statements. A handle is JSON the client keeps: the database, the query, an id and,
/// once bound, the parameters' values, so a client that uses the handle <c>DoPut</c> returns needs nothing
/// from the server. For clients that keep the first handle, the values bound to an id are also kept here,
/// for a bounded number of statements, until the statement is closed.
/// </summary>
public sealed class PreparedStatements(TimeProvider time)
{
    /// <summary>How many statements' bound values are kept; past it, the least recently used are forgotten.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, object?> Values, long Used)> _bound = new(StringComparer.Ordinal);

    public static ByteString Create(string database, string query) =>
        Encode(new Handle(database, query, Guid.NewGuid().ToString("N"), null));

    /// <summary>The statement <paramref name="bytes"/> names, with the values bound to it.</summary>
    public (string Database, string Query, IReadOnlyDictionary<string, object?> Parameters) Open(ByteString bytes)
    {
        var handle = Decode(bytes);
        var parameters = handle.Params is { } given
            ? given.ToDictionary(p => p.Key, p => QueryTicket.Value(p.Value), StringComparer.Ordinal)
            : _bound.TryGetValue(handle.Id, out var kept) ? kept.Values : new Dictionary<string, object?>();
        if (handle.Params is null && _bound.ContainsKey(handle.Id))
        {
            _bound[handle.Id] = (parameters, time.GetTimestamp());
        }

        return (handle.Database, handle.Query, parameters);
    }

    /// <summary>
    /// Binds the first row of <paramref name="values"/> to the statement's parameters: a column named as a
    /// parameter binds it, else the column's position does (<c>$1</c> for the first column, or the
    /// parameters in the order they first appear). Returns the handle that carries the values.
    /// </summary>
    public ByteString Bind(ByteString bytes, IReadOnlyList<string> parameterNames, RecordBatch? values)
    {
        var handle = Decode(bytes);
        var bound = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (values is { Length: > 0 })
        {
            for (var i = 0; i < values.ColumnCount; i++)
            {
                var field = values.Schema.GetFieldByIndex(i).Name.TrimStart('$');
                var position = (i + 1).ToString(CultureInfo.InvariantCulture);
                var name = parameterNames.Contains(field) ? field
                    : parameterNames.Contains(position) ? position
                    : i < parameterNames.Count ? parameterNames[i]
                    : throw new RpcException(new Status(StatusCode.InvalidArgument, $"the statement takes {parameterNames.Count} parameter(s) and {values.ColumnCount} were bound"));
                bound[name] = values.Column(i) is TimestampArray instants ? Rfc3339(ArrowValues.Get(instants, 0)) : ArrowValues.Get(values.Column(i), 0);
            }
        }

        Remember(handle.Id, bound);
        return Encode(handle with { Params = bound.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value), StringComparer.Ordinal) });
    }

    public void Close(ByteString bytes) => _bound.TryRemove(Decode(bytes).Id, out _);

    private void Remember(string id, IReadOnlyDictionary<string, object?> values)
    {
        _bound[id] = (values, time.GetTimestamp());
        while (_bound.Count > Capacity)
        {
            var oldest = _bound.MinBy(p => p.Value.Used).Key;
            _bound.TryRemove(oldest, out _);
        }
    }

    /// <summary>A timestamp (nanoseconds) as RFC 3339 text, which the query's comparisons and casts read as the instant.</summary>
    private static string? Rfc3339(object? nanoseconds) => nanoseconds is long value ? UnixNanoseconds.ToRfc3339(value) : null;

    private static ByteString Encode(Handle handle) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(handle));

    private static Handle Decode(ByteString bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<Handle>(bytes.Span) is { Database: not null, Query: not null, Id: not null } handle
                ? handle
                : throw Invalid();
        }
        catch (JsonException)
        {
            throw Invalid();
        }
    }

    private static RpcException Invalid() =>
        new(new Status(StatusCode.InvalidArgument, "invalid prepared statement handle: use the handle CreatePreparedStatement returned"));

    private sealed record Handle(string Database, string Query, string Id, Dictionary<string, JsonElement>? Params);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;

namespace Scripting.Flight;

/// <summary>
/// The ticket InfluxDB 3's clients send with Flight <c>DoGet</c>: UTF-8 JSON with the database
/// (<c>database</c>, or upstream's aliases <c>namespace_name</c>, <c>bucket</c>, <c>bucket-name</c>), the
/// query (<c>sql_query</c>), its language (<c>query_type</c>, <c>sql</c> when missing) and <c>params</c> bound to
/// <c>$name</c> (strings, numbers, booleans).
/// </summary>
internal sealed record QueryTicket(string Database, string Query, string QueryType, IReadOnlyDictionary<string, object?> Parameters)
{
    private static readonly string[] DatabaseKeys = ["database", "namespace_name", "bucket", "bucket-name"];

    public static QueryTicket Parse(ReadOnlySpan<byte> ticket)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(ticket));
        }
        catch (JsonException error)
        {
            throw Invalid($"the ticket is not JSON ({error.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("the ticket must be a JSON object with 'database' and 'sql_query'");
            }

            var database = DatabaseKeys.Select(k => root.TryGetProperty(k, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)
                .FirstOrDefault(d => d is not null) ?? throw Invalid("missing field 'database'");
            var query = root.TryGetProperty("sql_query", out var sql) && sql.ValueKind == JsonValueKind.String
                ? sql.GetString()!
                : throw Invalid("missing field 'sql_query'");
            var queryType = root.TryGetProperty("query_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "sql";
            if (queryType is not ("sql" or "influxql"))
            {
                throw Invalid($"Unknown query type. Expected 'sql' or 'influxql', got {queryType}");
            }

            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (root.TryGetProperty("params", out var given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (var parameter in given.EnumerateObject())
                {
                    parameters[parameter.Name] = Value(parameter.Value);
                }
            }

            return new QueryTicket(database, query, queryType, parameters);
        }
    }

    /// <summary>The ticket as JSON, as the clients write it (for the tickets Flight SQL's GetFlightInfo hands out).</summary>
    public static ByteString Encode(QueryTicket ticket) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["database"] = ticket.Database,
        ["sql_query"] = ticket.Query,
        ["query_type"] = ticket.QueryType,
        ["params"] = ticket.Parameters,
    }));

    internal static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        _ => value.GetRawText(),
    };

    private static RpcException Invalid(string reason) =>
        new(new Status(StatusCode.InvalidArgument, string.Create(CultureInfo.InvariantCulture, $"Invalid ticket. Error: {reason}")));
}

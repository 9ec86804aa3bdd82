using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Scripting.Flight.Sql;

/// <summary>The statement handle of a catalog command's ticket: the database and the command, as JSON.</summary>
internal static class CatalogTicket
{
    private const string CommandKey = "flightsql_command";

    public static ByteString Encode(string database, Any command) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
    {
        ["database"] = database,
        [CommandKey] = Convert.ToBase64String(command.ToByteArray()),
    }));

    /// <summary>The database and command in <paramref name="handle"/>; null when it is a statement's handle.</summary>
    public static (string Database, Any Command)? Decode(ByteString handle)
    {
        try
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(handle.Span);
            return fields is not null && fields.TryGetValue(CommandKey, out var command) && fields.TryGetValue("database", out var database)
                ? (database.GetString()!, Any.Parser.ParseFrom(Convert.FromBase64String(command.GetString()!)))
                : null;
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidProtocolBufferException or InvalidOperationException)
        {
            return null;
        }
    }
}

using System.Text.Json;

namespace Scripting.Server.Http;

internal static class JsonDefaults
{
    /// <summary>snake_case on the wire, as InfluxDB's API.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        MaxDepth = 64,
    };
}

using System.Text.Encodings.Web;
using System.Text.Json;
using Scripting.Contracts;

namespace Scripting.Server.Http;

internal static class JsonDefaults
{
    /// <summary>The options of every JSON body, read or written.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// snake_case on the wire, as InfluxDB's API; the contract's types from the generated context, and
    /// reflection only for what is not in it (the detail of an error, a plugin's response body).
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.MaxDepth = 64;
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        return options;
    }
}

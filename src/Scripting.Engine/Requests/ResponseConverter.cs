using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Scripting.PluginApi;

namespace Scripting.Engine.Requests;

public sealed record PluginHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// Turns what <c>process_request</c> returned into a response, with Flask's rules, as InfluxDB 3's request triggers do:
/// a string is text/html; a (body, status, headers) tuple sets status and headers; a dictionary, list or
/// any other object is JSON. C# may also return a <see cref="PluginResponse"/> or a byte array.
/// </summary>
internal static class ResponseConverter
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static PluginHttpResponse Convert(object? value)
    {
        switch (value)
        {
            case null:
                return Error("Unsupported return type from plugin: it returned nothing (null)");
            case PluginResponse response:
                return WithStatusAndHeaders(Body(response.Body), response.Status, response.Headers);
            case ITuple { Length: >= 1 and <= 3 } tuple when value.GetType().Namespace == "System":
                return FromTuple(tuple);
            default:
                return WithStatusAndHeaders(Body(value), 200, null);
        }
    }

    public static PluginHttpResponse Error(string message, int status = 500) =>
        new(status, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, JsonSerializer.SerializeToUtf8Bytes(new { error = message }, Json));

    private static PluginHttpResponse FromTuple(ITuple tuple)
    {
        var body = Body(tuple[0]);
        var status = 200;
        IReadOnlyDictionary<string, string>? headers = null;
        if (tuple.Length >= 2)
        {
            switch (tuple[1])
            {
                case int code:
                    status = code;
                    break;
                case IDictionary dictionary:
                    headers = Headers(dictionary);
                    break;
            }
        }

        if (tuple.Length == 3)
        {
            if (tuple[2] is not IDictionary dictionary)
            {
                return Error("expected a dictionary in header item");
            }

            headers = Headers(dictionary);
        }

        return WithStatusAndHeaders(body, status, headers);
    }

    private static PluginHttpResponse WithStatusAndHeaders((byte[] Bytes, string ContentType) body, int status, IReadOnlyDictionary<string, string>? headers)
    {
        if (status is < 100 or > 999)
        {
            return Error($"invalid status code {status} returned by the plugin");
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal) { ["Content-Type"] = body.ContentType };
        foreach (var (name, headerValue) in headers ?? new Dictionary<string, string>())
        {
            merged[name] = headerValue;
        }

        return new PluginHttpResponse(status, merged, body.Bytes);
    }

    private static (byte[] Bytes, string ContentType) Body(object? body) => body switch
    {
        string text => (Encoding.UTF8.GetBytes(text), "text/html"),
        byte[] bytes => (bytes, "application/octet-stream"),
        null => ([], "text/html"),
        _ => (JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json), "application/json"),
    };

    private static Dictionary<string, string> Headers(IDictionary dictionary)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            headers[entry.Key.ToString()!] = entry.Value?.ToString() ?? string.Empty;
        }

        return headers;
    }
}

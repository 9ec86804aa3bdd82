using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Scripting.Core.Http;

namespace Scripting.Client;

/// <summary>A non-success answer from the server, with the message of its JSON error body.</summary>
public sealed class ScriptingClientException(HttpStatusCode status, string reason, string body)
    : Exception($"server responded with error [{(int)status} {reason}]: {MessageOf(body)}")
{
    public HttpStatusCode Status { get; } = status;
    public string Body { get; } = body;

    private static string MessageOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && (json.RootElement.TryGetProperty("error", out var error) || json.RootElement.TryGetProperty("message", out error)))
            {
                var message = error.GetString() ?? body;
                return json.RootElement.TryGetProperty("data", out var data) ? $"{message}: {Describe(data)}" : message;
            }
        }
        catch (JsonException)
        {
        }

        return body.Trim();
    }

    private static string Describe(JsonElement data)
    {
        var items = data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data];
        return string.Join("; ", items.Select(item =>
            item.ValueKind == JsonValueKind.Object && item.TryGetProperty("error_message", out var message)
                ? $"line {(item.TryGetProperty("line_number", out var line) ? line.ToString() : "?")}: {message.GetString()}"
                : item.ToString()));
    }
}

/// <summary>Typed HTTP client of the Scripting API.</summary>
public sealed class ScriptingClient : IDisposable
{
    private readonly HttpClient _http;

    public ScriptingClient(Uri host, string? token = null, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = host;
        _http.Timeout = TimeSpan.FromMinutes(10);
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.Database, JsonContent.Create(new Dictionary<string, string> { ["db"] = name }), cancellationToken);

    public Task DeleteDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{ApiRoutes.Database}?db={Uri.EscapeDataString(name)}", null, cancellationToken);

    public async Task<string> ListDatabasesAsync(string format, CancellationToken cancellationToken = default) =>
        await (await SendAsync(HttpMethod.Get, $"{ApiRoutes.Database}?format={Uri.EscapeDataString(format)}", null, cancellationToken))
            .Content.ReadAsStringAsync(cancellationToken);

    public async Task WriteAsync(string database, byte[] lineProtocol, string? precision, bool? acceptPartial, bool noSync, bool gzip, CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder($"{ApiRoutes.WriteLp}?db={Uri.EscapeDataString(database)}");
        if (precision is not null)
        {
            query.Append($"&precision={Uri.EscapeDataString(precision)}");
        }

        if (acceptPartial is not null)
        {
            query.Append($"&accept_partial={(acceptPartial.Value ? "true" : "false")}");
        }

        if (noSync)
        {
            query.Append("&no_sync=true");
        }

        HttpContent content;
        if (gzip)
        {
            var compressed = new MemoryStream();
            await using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(lineProtocol, cancellationToken);
            }

            content = new ByteArrayContent(compressed.ToArray());
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ByteArrayContent(lineProtocol);
        }

        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        await SendAsync(HttpMethod.Post, query.ToString(), content, cancellationToken);
    }

    public async Task<byte[]> QueryAsync(string database, string sql, string format, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object?> { ["db"] = database, ["q"] = sql, ["format"] = format };
        if (parameters is not null)
        {
            body["params"] = parameters;
        }

        var response = await SendAsync(HttpMethod.Post, ApiRoutes.QuerySql, JsonContent.Create(body), cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public Task CreateTriggerAsync(string database, string name, string specification, string pluginFilename, IReadOnlyDictionary<string, string>? arguments, bool disabled, bool runAsync, string errorBehavior, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.Trigger, JsonContent.Create(new Dictionary<string, object?>
        {
            ["db"] = database,
            ["plugin_filename"] = pluginFilename,
            ["trigger_name"] = name,
            ["trigger_specification"] = specification,
            ["trigger_settings"] = new Dictionary<string, object> { ["run_async"] = runAsync, ["error_behavior"] = errorBehavior },
            ["trigger_arguments"] = arguments,
            ["disabled"] = disabled,
        }), cancellationToken);

    public Task DeleteTriggerAsync(string database, string name, bool force, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ApiRoutes.Trigger, JsonContent.Create(new Dictionary<string, object> { ["db"] = database, ["trigger_name"] = name, ["force"] = force }), cancellationToken);

    public Task SetTriggerEnabledAsync(string database, string name, bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"{(enabled ? ApiRoutes.TriggerEnable : ApiRoutes.TriggerDisable)}?db={Uri.EscapeDataString(database)}&trigger_name={Uri.EscapeDataString(name)}", null, cancellationToken);

    /// <summary>pip install in the server's plugin virtual environment.</summary>
    public Task InstallPackagesAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.InstallPackages, JsonContent.Create(new Dictionary<string, object> { ["packages"] = packages }), cancellationToken);

    /// <summary>pip install -r, with a path the server can read.</summary>
    public Task InstallRequirementsAsync(string requirementsLocation, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.InstallRequirements, JsonContent.Create(new Dictionary<string, object> { ["requirements_location"] = requirementsLocation }), cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ScriptingClientException(response.StatusCode, response.ReasonPhrase ?? response.StatusCode.ToString(), body);
        }

        return response;
    }

    public void Dispose() => _http.Dispose();
}

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

    /// <summary>Dry run of a plugin's process_writes with the rows of <paramref name="lineProtocol"/>; returns the JSON result.</summary>
    public async Task<string> TestWalPluginAsync(string filename, string database, string lineProtocol, IReadOnlyDictionary<string, string>? arguments, string? cacheName, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object?> { ["filename"] = filename, ["database"] = database, ["input_lp"] = lineProtocol, ["input_arguments"] = arguments, ["cache_name"] = cacheName };
        var response = await SendAsync(HttpMethod.Post, ApiRoutes.PluginTestWal, JsonContent.Create(body), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Dry run of a plugin's process_scheduled_call at the next fire time of <paramref name="schedule"/>; returns the JSON result.</summary>
    public async Task<string> TestSchedulePluginAsync(string filename, string database, string? schedule, IReadOnlyDictionary<string, string>? arguments, string? cacheName, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object?> { ["filename"] = filename, ["database"] = database, ["schedule"] = schedule, ["input_arguments"] = arguments, ["cache_name"] = cacheName };
        var response = await SendAsync(HttpMethod.Post, ApiRoutes.PluginTestSchedule, JsonContent.Create(body), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Creates or replaces a file in the server's plugin directory.</summary>
    public Task UploadPluginFileAsync(string pluginName, string content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.PluginFiles, JsonContent.Create(new Dictionary<string, string> { ["plugin_name"] = pluginName, ["content"] = content }), cancellationToken);

    /// <summary>Replaces the plugin file of the trigger named <paramref name="triggerName"/>.</summary>
    public Task ReplaceTriggerPluginAsync(string triggerName, string content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, ApiRoutes.PluginFiles, JsonContent.Create(new Dictionary<string, string> { ["plugin_name"] = triggerName, ["content"] = content }), cancellationToken);

    /// <summary>Replaces the plugin directory of the trigger named <paramref name="triggerName"/> with these files, at once.</summary>
    public Task ReplaceTriggerDirectoryAsync(string triggerName, IReadOnlyList<(string RelativePath, string Content)> files, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, ApiRoutes.PluginDirectory, JsonContent.Create(new Dictionary<string, object>
        {
            ["plugin_name"] = triggerName,
            ["files"] = files.Select(f => new Dictionary<string, string> { ["relative_path"] = f.RelativePath, ["content"] = f.Content }).ToList(),
        }), cancellationToken);

    /// <summary>The plugins of the server's plugin directory, in a query format (json, jsonl, csv, pretty).</summary>
    public async Task<string> ListPluginsAsync(string format, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Get, $"{ApiRoutes.Plugins}?format={Uri.EscapeDataString(format)}", null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Creates the operator token (no token needed), regenerates it, or creates a named admin token; returns the JSON answer with the secret.</summary>
    public async Task<string> CreateAdminTokenAsync(string? name, bool regenerate, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        var response = name is null
            ? await SendAsync(HttpMethod.Post, regenerate ? ApiRoutes.TokenAdminRegenerate : ApiRoutes.TokenAdmin, null, cancellationToken)
            : await SendAsync(HttpMethod.Post, ApiRoutes.TokenNamedAdmin, JsonContent.Create(new Dictionary<string, object?> { ["token_name"] = name, ["expiry_secs"] = (long?)expiry?.TotalSeconds }), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public Task DeleteTokenAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{ApiRoutes.Token}?token_name={Uri.EscapeDataString(name)}", null, cancellationToken);

    /// <summary>The tokens (names, hashes, dates; never secrets), as JSON.</summary>
    public async Task<string> ListTokensAsync(CancellationToken cancellationToken = default) =>
        await (await SendAsync(HttpMethod.Get, ApiRoutes.Token, null, cancellationToken)).Content.ReadAsStringAsync(cancellationToken);

    /// <summary>Creates a secret; its value is never sent back.</summary>
    public Task CreateSecretAsync(string name, string value, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.Secret, JsonContent.Create(new Dictionary<string, string> { ["name"] = name, ["value"] = value }), cancellationToken);

    /// <summary>The secrets (names, creation and last use, the triggers using them; never values), as JSON.</summary>
    public async Task<string> ListSecretsAsync(CancellationToken cancellationToken = default) =>
        await (await SendAsync(HttpMethod.Get, ApiRoutes.Secret, null, cancellationToken)).Content.ReadAsStringAsync(cancellationToken);

    public Task DeleteSecretAsync(string name, bool force, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{ApiRoutes.Secret}?name={Uri.EscapeDataString(name)}{(force ? "&force=true" : "")}", null, cancellationToken);

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

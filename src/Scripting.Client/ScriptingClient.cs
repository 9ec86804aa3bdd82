using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Scripting.Contracts;

namespace Scripting.Client;

/// <summary>A non-success answer from the server, with the message of its JSON error body.</summary>
public sealed class ScriptingClientException(HttpStatusCode status, string reason, string body)
    : Exception($"server responded with error [{(int)status} {reason}]: {MessageOf(body)}")
{
    public HttpStatusCode Status { get; } = status;
    public string Body { get; } = body;

    private static string MessageOf(string body)
    {
        ErrorResponse? error = null;
        try
        {
            error = body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize(body, ApiJsonContext.Default.ErrorResponse) : null;
        }
        catch (JsonException)
        {
        }

        if (error?.Error is not { } message)
        {
            return body.Trim();
        }

        return error.Data is { } data ? $"{message}: {Describe(data)}" : message;
    }

    private static string Describe(JsonElement data)
    {
        try
        {
            IReadOnlyList<RejectedLine>? lines = data.ValueKind == JsonValueKind.Array
                ? data.Deserialize(ApiJsonContext.Default.IReadOnlyListRejectedLine)
                : data.ValueKind == JsonValueKind.Object ? [data.Deserialize(ApiJsonContext.Default.RejectedLine)!] : null;
            if (lines is not null && lines.All(l => l?.ErrorMessage is not null))
            {
                return string.Join("; ", lines.Select(l => $"line {l.LineNumber}: {l.ErrorMessage}"));
            }
        }
        catch (JsonException)
        {
        }

        return data.ToString();
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
        SendAsync(HttpMethod.Post, ApiRoutes.Database, Json(new CreateDatabaseRequest(name), ApiJsonContext.Default.CreateDatabaseRequest), cancellationToken);

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
            query.Append(CultureInfo.InvariantCulture, $"&precision={Uri.EscapeDataString(precision)}");
        }

        if (acceptPartial is not null)
        {
            query.Append(CultureInfo.InvariantCulture, $"&accept_partial={(acceptPartial.Value ? "true" : "false")}");
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
        var body = new QueryRequest(database, sql, format, parameters is null ? null : QueryParameters.ToJson(parameters));
        var response = await SendAsync(HttpMethod.Post, ApiRoutes.QuerySql, Json(body, ApiJsonContext.Default.QueryRequest), cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public Task CreateTriggerAsync(string database, string name, string specification, string pluginFilename, IReadOnlyDictionary<string, string>? arguments, bool disabled, bool runAsync, string errorBehavior, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.Trigger, Json(
            new CreateTriggerRequest(
                database,
                pluginFilename,
                name,
                JsonSerializer.SerializeToElement(specification, ApiJsonContext.Default.String),
                JsonSerializer.SerializeToElement(new TriggerSettingsBody(runAsync, errorBehavior), ApiJsonContext.Default.TriggerSettingsBody),
                arguments is null ? null : JsonSerializer.SerializeToElement(arguments.ToDictionary(), ApiJsonContext.Default.DictionaryStringString),
                disabled),
            ApiJsonContext.Default.CreateTriggerRequest), cancellationToken);

    public Task DeleteTriggerAsync(string database, string name, bool force, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ApiRoutes.Trigger, Json(new DeleteTriggerRequest(database, name, force), ApiJsonContext.Default.DeleteTriggerRequest), cancellationToken);

    public Task SetTriggerEnabledAsync(string database, string name, bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"{(enabled ? ApiRoutes.TriggerEnable : ApiRoutes.TriggerDisable)}?db={Uri.EscapeDataString(database)}&trigger_name={Uri.EscapeDataString(name)}", null, cancellationToken);

    /// <summary>Dry run of a plugin's process_writes with the rows of <paramref name="lineProtocol"/>.</summary>
    public Task<PluginTestResponse> TestWalPluginAsync(string filename, string database, string lineProtocol, IReadOnlyDictionary<string, string>? arguments, string? cacheName, CancellationToken cancellationToken = default) =>
        SendAsync(
            ApiRoutes.PluginTestWal,
            Json(new WalTestRequest(filename, database, lineProtocol, cacheName, arguments?.ToDictionary()), ApiJsonContext.Default.WalTestRequest),
            ApiJsonContext.Default.PluginTestResponse,
            cancellationToken);

    /// <summary>Dry run of a plugin's process_scheduled_call at the next fire time of <paramref name="schedule"/>.</summary>
    public Task<PluginTestResponse> TestSchedulePluginAsync(string filename, string database, string? schedule, IReadOnlyDictionary<string, string>? arguments, string? cacheName, CancellationToken cancellationToken = default) =>
        SendAsync(
            ApiRoutes.PluginTestSchedule,
            Json(new ScheduleTestRequest(filename, database, schedule, cacheName, arguments?.ToDictionary()), ApiJsonContext.Default.ScheduleTestRequest),
            ApiJsonContext.Default.PluginTestResponse,
            cancellationToken);

    /// <summary>Creates or replaces a file in the server's plugin directory.</summary>
    public Task UploadPluginFileAsync(string pluginName, string content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.PluginFiles, Json(new PluginFileRequest(pluginName, content), ApiJsonContext.Default.PluginFileRequest), cancellationToken);

    /// <summary>Replaces the plugin file of the trigger named <paramref name="triggerName"/>.</summary>
    public Task ReplaceTriggerPluginAsync(string triggerName, string content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, ApiRoutes.PluginFiles, Json(new PluginFileRequest(triggerName, content), ApiJsonContext.Default.PluginFileRequest), cancellationToken);

    /// <summary>Replaces the plugin directory of the trigger named <paramref name="triggerName"/> with these files, at once.</summary>
    public Task ReplaceTriggerDirectoryAsync(string triggerName, IReadOnlyList<(string RelativePath, string Content)> files, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, ApiRoutes.PluginDirectory, Json(
            new PluginDirectoryRequest(triggerName, [.. files.Select(f => new PluginDirectoryFile(f.RelativePath, f.Content))]),
            ApiJsonContext.Default.PluginDirectoryRequest), cancellationToken);

    /// <summary>The plugins of the server's plugin directory, in a query format (json, jsonl, csv, pretty).</summary>
    public async Task<string> ListPluginsAsync(string format, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Get, $"{ApiRoutes.Plugins}?format={Uri.EscapeDataString(format)}", null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Creates the operator token (no token needed), regenerates it, or creates a named admin token; the answer carries the secret.</summary>
    public Task<CreatedToken> CreateAdminTokenAsync(string? name, bool regenerate, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        name is null
            ? SendAsync(regenerate ? ApiRoutes.TokenAdminRegenerate : ApiRoutes.TokenAdmin, null, ApiJsonContext.Default.CreatedToken, cancellationToken)
            : SendAsync(
                ApiRoutes.TokenNamedAdmin,
                Json(new NamedTokenRequest(name, (long?)expiry?.TotalSeconds), ApiJsonContext.Default.NamedTokenRequest),
                ApiJsonContext.Default.CreatedToken,
                cancellationToken);

    public Task DeleteTokenAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{ApiRoutes.Token}?token_name={Uri.EscapeDataString(name)}", null, cancellationToken);

    /// <summary>The tokens: names, hashes, dates; never secrets.</summary>
    public Task<IReadOnlyList<TokenInfo>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        GetAsync(ApiRoutes.Token, ApiJsonContext.Default.IReadOnlyListTokenInfo, cancellationToken);

    /// <summary>Creates a secret; its value is never sent back.</summary>
    public Task CreateSecretAsync(string name, string value, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.Secret, Json(new CreateSecretRequest(name, value), ApiJsonContext.Default.CreateSecretRequest), cancellationToken);

    /// <summary>The secrets: names, creation and last use, the triggers using them; never values.</summary>
    public Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(CancellationToken cancellationToken = default) =>
        GetAsync(ApiRoutes.Secret, ApiJsonContext.Default.IReadOnlyListSecretInfo, cancellationToken);

    public Task DeleteSecretAsync(string name, bool force, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{ApiRoutes.Secret}?name={Uri.EscapeDataString(name)}{(force ? "&force=true" : "")}", null, cancellationToken);

    /// <summary>pip install in the server's plugin virtual environment.</summary>
    public Task InstallPackagesAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.InstallPackages, Json(new InstallPackagesRequest(packages), ApiJsonContext.Default.InstallPackagesRequest), cancellationToken);

    /// <summary>pip install -r, with a path the server can read.</summary>
    public Task InstallRequirementsAsync(string requirementsLocation, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ApiRoutes.InstallRequirements, Json(new InstallRequirementsRequest(requirementsLocation), ApiJsonContext.Default.InstallRequirementsRequest), cancellationToken);

    /// <summary>The plugins of the server's plugin directory.</summary>
    public Task<PluginListResponse> ListPluginsAsync(CancellationToken cancellationToken = default) =>
        GetAsync(ApiRoutes.Plugins, ApiJsonContext.Default.PluginListResponse, cancellationToken);

    private static JsonContent Json<T>(T body, JsonTypeInfo<T> type) => JsonContent.Create(body, type);

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> answer, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return await ReadAsync(response, answer, cancellationToken);
    }

    private async Task<T> SendAsync<T>(string path, HttpContent? content, JsonTypeInfo<T> answer, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, content, cancellationToken);
        return await ReadAsync(response, answer, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(answer, cancellationToken)
            ?? throw new JsonException($"the server answered {response.RequestMessage?.RequestUri?.AbsolutePath} with an empty body");

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

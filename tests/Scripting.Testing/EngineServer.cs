using System.Net.Http.Json;
using System.Text.Json;
using Scripting.Client;
using Scripting.Contracts;
using Scripting.Server.Hosting;

namespace Scripting.Testing;

/// <summary>A running server with a plugin directory, and helpers for plugins and triggers.</summary>
public sealed class EngineServer : IAsyncDisposable
{
    private EngineServer(RunningServer server, string pluginDirectory)
    {
        Server = server;
        PluginDirectory = pluginDirectory;
    }

    /// <summary>The signature of a C# request plugin's entry point, with InfluxDB's parameter names.</summary>
    public const string CSharpRequestSignature = "object process_request(IInfluxDb3Local influxdb3_local, IReadOnlyDictionary<string, string> query_parameters, IReadOnlyDictionary<string, string> request_headers, byte[] request_body, IReadOnlyDictionary<string, string>? args)";

    /// <summary>For what tests pass as objects (anonymous types included), with the API's snake_case names.</summary>
    private static readonly JsonSerializerOptions Loose = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public RunningServer Server { get; }
    public string PluginDirectory { get; }
    public HttpClient Http => Server.Http;
    public ScriptingClient Client => Server.Client;

    /// <param name="options">Settings besides the plugin directory and run timeout, which this sets.</param>
    public static async Task<EngineServer> StartAsync(string? pluginDirectory = null, string? dataDirectory = null, TimeSpan? runTimeout = null, bool authentication = false, ServerOptions? options = null)
    {
        pluginDirectory ??= TempDirectory.NewPath("plugins");
        Directory.CreateDirectory(pluginDirectory);
        var settings = (options ?? new ServerOptions()) with { PluginDirectory = pluginDirectory, PluginRunTimeout = runTimeout ?? TimeSpan.FromSeconds(30) };
        var server = await RunningServer.StartAsync(settings, dataDirectory, authentication);
        return new EngineServer(server, pluginDirectory);
    }

    public void Plugin(string name, string code)
    {
        var path = Path.Combine(PluginDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, code);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Creates a trigger and returns the raw answer, so tests can assert refusals. The specification, the
    /// arguments and the settings are anything that serializes to their JSON forms (a string, an anonymous
    /// object), so tests can also send what the typed client never would.
    /// </summary>
    public Task<HttpResponseMessage> CreateTriggerAsync(string database, string name, string plugin, object specification, object? arguments = null, object? settings = null, bool disabled = false) =>
        Http.PostAsJsonAsync(
            ApiRoutes.Trigger,
            new CreateTriggerRequest(
                database,
                plugin,
                name,
                JsonSerializer.SerializeToElement(specification, Loose),
                JsonSerializer.SerializeToElement(settings ?? new TriggerSettingsBody(false, "log"), Loose),
                arguments is null ? null : JsonSerializer.SerializeToElement(arguments, Loose),
                disabled),
            ApiJsonContext.Default.CreateTriggerRequest);

    public async Task<JsonElement> QueryAsync(string database, string sql)
    {
        // Over Http, which carries whatever token the test set on it.
        using var response = await Http.PostAsJsonAsync(ApiRoutes.QuerySql, new QueryRequest(database, sql, "json"), ApiJsonContext.Default.QueryRequest);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"query failed with {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        using var result = JsonDocument.Parse(body);
        return result.RootElement.Clone();
    }

    /// <summary>Polls a query until <paramref name="done"/> holds or the deadline passes; returns the last result (an empty array while the query fails).</summary>
    public Task<JsonElement> PollAsync(string database, string sql, Func<JsonElement, bool> done) =>
        Eventually.LastAsync(
            async () =>
            {
                try
                {
                    return await QueryAsync(database, sql);
                }
                catch (HttpRequestException)
                {
                    return JsonDocument.Parse("[]").RootElement.Clone();
                }
            },
            done,
            interval: TimeSpan.FromMilliseconds(100));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        TempDirectory.Remove(PluginDirectory);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Engine;

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

    public RunningServer Server { get; }
    public string PluginDirectory { get; }
    public HttpClient Http => Server.Http;

    /// <param name="options">Settings besides the plugin directory and run timeout, which this sets.</param>
    public static async Task<EngineServer> StartAsync(string? pluginDirectory = null, string? dataDirectory = null, TimeSpan? runTimeout = null, bool authentication = false, ServerOptions? options = null)
    {
        pluginDirectory ??= Path.Combine(Path.GetTempPath(), "scripting-plugins-" + Guid.NewGuid().ToString("N"));
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

    public Task<HttpResponseMessage> CreateTriggerAsync(string database, string name, string plugin, object specification, object? arguments = null, object? settings = null, bool disabled = false) =>
        Http.PostAsJsonAsync("/api/v3/configure/processing_engine_trigger", new Dictionary<string, object?>
        {
            ["db"] = database,
            ["plugin_filename"] = plugin,
            ["trigger_name"] = name,
            ["trigger_specification"] = specification,
            ["trigger_settings"] = settings ?? new { run_async = false, error_behavior = "log" },
            ["trigger_arguments"] = arguments,
            ["disabled"] = disabled,
        });

    public async Task<JsonElement> QueryAsync(string database, string sql)
    {
        var body = await Http.GetStringAsync($"/api/v3/query_sql?db={database}&format=json&q={Uri.EscapeDataString(sql)}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls a query until <paramref name="done"/> holds or 15 s pass; returns the last result.</summary>
    public async Task<JsonElement> PollAsync(string database, string sql, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonElement result;
        do
        {
            try
            {
                result = await QueryAsync(database, sql);
            }
            catch (HttpRequestException)
            {
                result = JsonDocument.Parse("[]").RootElement.Clone();
            }

            if (done(result))
            {
                return result;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(PluginDirectory, recursive: true);
    }
}

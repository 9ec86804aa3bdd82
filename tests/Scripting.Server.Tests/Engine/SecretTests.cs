using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Engine;

/// <summary>
/// A secret used by a trigger: the plugin gets the value in args; the catalog, system tables, the API,
/// the data dir's files and error messages show only the reference.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretTests : IAsyncLifetime
{
    private const string Value = "apiv3_Zm9yLXRlc3RzLW9ubHk-secret";
    private const string RequestSignature = EngineServer.CSharpRequestSignature;
    private readonly string _keys = TempDirectory.Create("keys").Path;
    private EngineServer _engine = null!;

    private string KeyFile => Path.Combine(_keys, "secrets.key");

    public async Task InitializeAsync()
    {
        _engine = await EngineServer.StartAsync(options: new ServerOptions { SecretsKeyFile = KeyFile });
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "home" });
        _engine.Plugin("echo.csx", RequestSignature + " => new Dictionary<string, string?> { [\"token\"] = args?[\"server_token\"], [\"header\"] = args?[\"header\"] };");
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    private Task<HttpResponseMessage> CreateSecretAsync(string name, string value) =>
        _engine.Http.PostAsJsonAsync("/api/v3/configure/secret", new { name, value });

    [Fact]
    public async Task ThePluginGetsTheValue_EverythingElseShowsTheReference()
    {
        (await CreateSecretAsync("server_token", Value)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _engine.CreateTriggerAsync("home", "echo", "echo.csx", "request:echo", new { server_token = "${secret:server_token}", header = "Bearer ${secret:server_token}" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var answer = JsonDocument.Parse(await _engine.Http.GetStringAsync("/api/v3/engine/echo")).RootElement;

        answer.GetProperty("token").GetString().ShouldBe(Value);
        answer.GetProperty("header").GetString().ShouldBe("Bearer " + Value);
        var arguments = await _engine.QueryAsync("home", "select argument_key, argument_value from system.processing_engine_trigger_arguments order by argument_key");
        arguments.ToString().ShouldContain("${secret:server_token}");
        var listing = await _engine.Http.GetStringAsync("/api/v3/configure/secret");
        var secret = JsonDocument.Parse(listing).RootElement.EnumerateArray().ShouldHaveSingleItem();
        secret.GetProperty("name").GetString().ShouldBe("server_token");
        secret.GetProperty("used_by").EnumerateArray().Select(u => u.GetString()).ShouldBe(["home/echo"]);
        secret.GetProperty("last_used_at").ValueKind.ShouldBe(JsonValueKind.String);
        var triggers = (await _engine.QueryAsync("home", "select * from system.processing_engine_triggers")).ToString();
        foreach (var seen in new[] { arguments.ToString(), listing, triggers })
        {
            seen.ShouldNotContain(Value);
        }

        foreach (var file in Directory.GetFiles(_engine.Server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) is "catalog.json" or "secrets.json" or "tokens.json")
            {
                (await File.ReadAllTextAsync(file)).ShouldNotContain(Value, customMessage: file);
            }
        }

        File.GetUnixFileMode(Path.Combine(_engine.Server.DataDirectory, "secrets.json")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(KeyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task ADryRun_ResolvesSecretsForThePlugin_AndEchoesNoValue()
    {
        await CreateSecretAsync("server_token", Value);
        _engine.Plugin("tick.csx", """
            void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args) =>
                influxdb3_local.write(new LineBuilder("seen").int64_field("length", args!["server_token"].Length));
            """);

        var response = await _engine.Http.PostAsJsonAsync("/api/v3/plugin_test/schedule", new { filename = "tick.csx", database = "home", input_arguments = new { server_token = "${secret:server_token}" } });
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain($"seen length={Value.Length}i");
        body.ShouldNotContain(Value);
    }

    [Fact]
    public async Task ATriggerReferringToAnUnknownSecret_IsRefused()
    {
        var response = await _engine.CreateTriggerAsync("home", "echo", "echo.csx", "request:echo", new { server_token = "${secret:nope}" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("secret 'nope' does not exist; create it first with `scripting create secret nope`");
    }

    [Fact]
    public async Task DeletingASecretInUse_IsRefusedUnlessForced_ThenRunsSayItIsGone()
    {
        await CreateSecretAsync("server_token", Value);
        await _engine.CreateTriggerAsync("home", "echo", "echo.csx", "request:echo", new { server_token = "${secret:server_token}", header = "x" });

        var refused = await _engine.Http.DeleteAsync("/api/v3/configure/secret?name=server_token");
        var forced = await _engine.Http.DeleteAsync("/api/v3/configure/secret?name=server_token&force=true");
        var run = await _engine.Http.GetAsync("/api/v3/engine/echo");

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("secret 'server_token' is used by trigger home/echo");
        forced.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await run.Content.ReadAsStringAsync()).ShouldContain("trigger argument 'server_token' refers to secret 'server_token', which does not exist");
    }

    [Fact]
    public async Task ALostKey_IsReportedClearly()
    {
        await CreateSecretAsync("server_token", Value);
        await _engine.CreateTriggerAsync("home", "echo", "echo.csx", "request:echo", new { server_token = "${secret:server_token}", header = "x" });
        var data = _engine.Server.DataDirectory;
        await _engine.Server.StopAsync();
        File.Delete(KeyFile);
        _engine = await EngineServer.StartAsync(pluginDirectory: _engine.PluginDirectory, dataDirectory: data, options: new ServerOptions { SecretsKeyFile = KeyFile });

        var run = await _engine.Http.GetAsync("/api/v3/engine/echo");

        run.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await run.Content.ReadAsStringAsync()).ShouldContain($"the secrets key file {KeyFile} is missing, so no secret can be read");
    }
}

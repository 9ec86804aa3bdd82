using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>Tokens as InfluxDB 3 Core has them: required by default, the schemes the write paths use, shown once, stored hashed.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(authentication: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> CreateOperatorTokenAsync()
    {
        var response = await _server.Http.PostAsync("/api/v3/configure/token/admin", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    private async Task<HttpStatusCode> StatusWithAsync(string? scheme, string? credential, string path = "/api/v3/configure/database?format=json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (scheme is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, credential);
        }

        return (await _server.Http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task NoToken_401WithUpstreamBody_EvenForHealthAndRequestPlugins()
    {
        var query = await _server.Http.GetAsync("/api/v3/configure/database?format=json");

        query.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await query.Content.ReadAsStringAsync()).ShouldBe("{\"error\": \"the request was not authenticated\"}");
        (await _server.Http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _server.Http.GetAsync("/api/v3/engine/anything")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task FirstOperatorToken_NeedsNoToken_IsShownOnce_AndASecondIsRefused()
    {
        var response = await _server.Http.PostAsync("/api/v3/configure/token/admin", null);
        var again = await _server.Http.PostAsync("/api/v3/configure/token/admin", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("name").GetString().ShouldBe("_admin");
        body.GetProperty("id").GetInt32().ShouldBe(0);
        var token = body.GetProperty("token").GetString()!;
        token.ShouldStartWith("apiv3_");
        token.Length.ShouldBe("apiv3_".Length + 86);
        body.GetProperty("hash").GetString()!.Length.ShouldBe(128);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldContain("token name already exists, _admin");
        var stored = await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "tokens.json"));
        stored.ShouldContain(body.GetProperty("hash").GetString()!);
        stored.ShouldNotContain(token);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "tokens.json")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task TokenSchemes_BearerTokenBasic_AndV1AndV2Writes_AllWork()
    {
        var token = await CreateOperatorTokenAsync();

        (await StatusWithAsync("Bearer", token)).ShouldBe(HttpStatusCode.OK);
        (await StatusWithAsync("Token", token)).ShouldBe(HttpStatusCode.OK);
        (await StatusWithAsync("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + token)))).ShouldBe(HttpStatusCode.OK);
        (await StatusWithAsync("Bearer", token + "x")).ShouldBe(HttpStatusCode.Unauthorized);
        (await _server.Http.PostAsync($"/write?db=v1db&u=me&p={token}", new StringContent("m v=1i 1"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var v2 = new HttpRequestMessage(HttpMethod.Post, "/api/v2/write?bucket=v2db") { Content = new StringContent("m v=1i 1") };
        v2.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        (await _server.Http.SendAsync(v2)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task MalformedHeader_400WithUpstreamMessage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/configure/database?format=json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer a b");

        var response = await _server.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("supported auth-schemes are Bearer, Token and Basic");
    }

    [Fact]
    public async Task NamedTokens_ExpireAndDelete_OperatorTokenRegenerates_ButCannotBeDeleted()
    {
        var operatorToken = await CreateOperatorTokenAsync();
        _server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        var named = JsonDocument.Parse(await (await _server.Http.PostAsJsonAsync("/api/v3/configure/token/named_admin", new { token_name = "ci", expiry_secs = 3600 })).Content.ReadAsStringAsync()).RootElement;
        var duplicate = await _server.Http.PostAsJsonAsync("/api/v3/configure/token/named_admin", new { token_name = "ci" });
        var namedToken = named.GetProperty("token").GetString()!;

        (await StatusWithAsync("Bearer", namedToken)).ShouldBe(HttpStatusCode.OK);
        named.GetProperty("expiry").GetString().ShouldNotBeNull();
        duplicate.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var listed = await _server.Http.GetStringAsync("/api/v3/configure/token");
        listed.ShouldContain("\"name\":\"ci\"");
        listed.ShouldNotContain(namedToken);

        (await _server.Http.DeleteAsync("/api/v3/configure/token?token_name=ci")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StatusWithAsync("Bearer", namedToken)).ShouldBe(HttpStatusCode.Unauthorized);
        var deleteOperator = await _server.Http.DeleteAsync("/api/v3/configure/token?token_name=_admin");
        deleteOperator.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await deleteOperator.Content.ReadAsStringAsync()).ShouldContain("cannot delete operator token");

        var regenerated = JsonDocument.Parse(await (await _server.Http.PostAsync("/api/v3/configure/token/admin/regenerate", null)).Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        (await StatusWithAsync("Bearer", operatorToken)).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusWithAsync("Bearer", regenerated)).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("ci\u001b[31mred")]
    [InlineData("line\nbreak")]
    [InlineData("a/b")]
    public async Task TokenNames_WithControlCharactersOrSlashes_AreRefused(string name)
    {
        _server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateOperatorTokenAsync());

        var created = await _server.Http.PostAsJsonAsync("/api/v3/configure/token/named_admin", new { token_name = name });
        var tooLong = await _server.Http.PostAsJsonAsync("/api/v3/configure/token/named_admin", new { token_name = new string('t', 256) });

        created.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await created.Content.ReadAsStringAsync()).ShouldContain("invalid 'token_name': at most 255 characters, no control characters or '/'");
        tooLong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _server.Http.GetStringAsync("/api/v3/configure/token")).ShouldNotContain("\"name\":\"t");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheTokenFile_IsReadableByTheServersUserOnly()
    {
        await CreateOperatorTokenAsync();

        File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "tokens.json")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task TokensSurviveARestart()
    {
        var token = await CreateOperatorTokenAsync();
        var data = _server.DataDirectory;
        await _server.StopAsync();

        _server = await RunningServer.StartAsync(dataDirectory: data, authentication: true);

        (await StatusWithAsync("Bearer", token)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DisableAuthz_OpensHealthAndPingOnly_AndWithoutAuthDisablesTheTokenEndpoints()
    {
        await using var open = await RunningServer.StartAsync(new ServerOptions { OpenEndpoints = new HashSet<string> { "health", "ping" } }, authentication: true);
        await using var none = await RunningServer.StartAsync();

        (await open.Http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await open.Http.GetAsync("/ping")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await open.Http.GetAsync("/api/v3/configure/database?format=json")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var disabled = await none.Http.PostAsync("/api/v3/configure/token/admin", null);
        disabled.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await disabled.Content.ReadAsStringAsync()).ShouldContain("endpoint disabled, started without auth");
    }

    [Fact]
    public async Task AdminTokenFile_TokenWorksFromTheStart_AndABadFileIsAClearError()
    {
        var file = TempDirectory.NewPath("token") + ".json";
        var chosen = "apiv3_" + new string('k', 40);
        await File.WriteAllTextAsync(file, $"{{\"token\": \"{chosen}\", \"name\": \"_admin\"}}");
        try
        {
            await using var server = await RunningServer.StartAsync(new ServerOptions { AdminTokenFile = file }, authentication: true);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/configure/database?format=json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chosen);

            (await server.Http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await server.Http.PostAsync("/api/v3/configure/token/admin", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

            await File.WriteAllTextAsync(file, "{\"name\": \"_admin\"}");
            Should.Throw<ArgumentException>(() => ScriptingServer.Build(new ServerOptions { InMemory = true, AdminTokenFile = file })).Message.ShouldContain("has no \"token\"");
        }
        finally
        {
            File.Delete(file);
        }
    }
}

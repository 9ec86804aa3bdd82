using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Endpoints;

/// <summary><c>--max-http-request-size</c> applies to every body, declared or chunked; plugin directories have their own limit.</summary>
public sealed class RequestSizeTests : IAsyncLifetime
{
    private const int Limit = 4_096;
    private const int DirectoryLimit = 65_536;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        var plugins = TempDirectory.NewPath("size-plugins");
        Directory.CreateDirectory(plugins);
        _server = await RunningServer.StartAsync(new ServerOptions { MaxRequestBytes = Limit, MaxPluginDirectoryBytes = DirectoryLimit, PluginDirectory = plugins }, authentication: true);
        var created = await _server.Http.PostAsync("/api/v3/configure/token/admin", null);
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        _server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A JSON body of about <paramref name="size"/> bytes: one long string inside an otherwise valid request.</summary>
    private static string Padded(string json, int size) => json.Replace("PAD", new string('x', size), StringComparison.Ordinal);

    private static HttpContent Content(string body, bool chunked)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        HttpContent content = chunked ? new StreamContent(new NoLengthStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static TheoryData<string, string, string, bool> Endpoints()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var chunked in new[] { false, true })
        {
            data.Add("POST", "/api/v3/configure/database", """{"db": "PAD"}""", chunked);
            data.Add("POST", "/api/v3/configure/processing_engine_trigger", """{"db": "d", "plugin_filename": "PAD", "trigger_name": "t", "trigger_specification": "every:1s"}""", chunked);
            data.Add("POST", "/api/v3/plugin_test/wal", """{"filename": "a.py", "database": "d", "input_lp": "PAD"}""", chunked);
            data.Add("POST", "/api/v3/plugins/files", """{"plugin_name": "a.py", "content": "PAD"}""", chunked);
            data.Add("PUT", "/api/v3/plugins/files", """{"plugin_name": "a.py", "content": "PAD"}""", chunked);
            data.Add("POST", "/api/v3/configure/token/named_admin", """{"token_name": "PAD"}""", chunked);
            data.Add("POST", "/api/v3/query_sql", """{"db": "d", "q": "select 'PAD'"}""", chunked);
            data.Add("POST", "/api/v3/write_lp?db=d", "m v=\"PAD\"", chunked);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ABodyPastTheLimit_Is413_WithUpstreamsMessage(string method, string path, string json, bool chunked)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Content(Padded(json, Limit * 4), chunked) };

        var response = await _server.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().ShouldBe($"max request size ({Limit} bytes) exceeded");
    }

    [Fact]
    public async Task ABodyWithinTheLimit_IsServed()
    {
        var response = await _server.Http.PostAsync("/api/v3/plugins/files", Content(Padded("""{"plugin_name": "a.py", "content": "# PAD"}""", Limit / 2), chunked: true));

        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PluginDirectories_HaveTheirOwnLimit()
    {
        var within = Padded("""{"plugin_name": "dir", "files": [{"relative_path": "dir.py", "content": "# PAD"}]}""", DirectoryLimit / 2);
        var past = Padded("""{"plugin_name": "dir", "files": [{"relative_path": "dir.py", "content": "# PAD"}]}""", DirectoryLimit * 2);

        var accepted = await _server.Http.PutAsync("/api/v3/plugins/directory", Content(within, chunked: false));
        var refused = await _server.Http.PutAsync("/api/v3/plugins/directory", Content(past, chunked: true));

        // Read whole and parsed, past the general limit: the answer is about the (missing) trigger.
        (await accepted.Content.ReadAsStringAsync()).ShouldContain("no trigger named 'dir'");
        refused.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().ShouldBe($"max request size ({DirectoryLimit} bytes) exceeded");
    }

    /// <summary>A stream of unknown length, so the body goes out chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

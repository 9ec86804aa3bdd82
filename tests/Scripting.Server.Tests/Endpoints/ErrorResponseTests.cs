using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>Bad input gets a 4xx with a JSON body that says what was wrong, and nothing accepted is lost.</summary>
public sealed class ErrorResponseTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new Hosting.ServerOptions { MaxRequestBytes = 64 * 1024 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<HttpResponseMessage> WriteAsync(string path, string body) => _server.Http.PostAsync(path, new StringContent(body));

    private async Task<string> CountAsync(string database, string table) =>
        await _server.Http.GetStringAsync($"/api/v3/query_sql?db={database}&format=csv&q={Uri.EscapeDataString($"select count(*) as n from {table}")}");

    [Fact]
    public async Task Write_MalformedLineWithAcceptPartial_StoresGoodLinesAndNamesTheBadLine()
    {
        var error = await ErrorOf(await WriteAsync("/api/v3/write_lp?db=w", "m f=1 1\nm f=oops 2\nm f=3 3"), HttpStatusCode.BadRequest);

        error.GetProperty("error").GetString().ShouldBe("partial write of line protocol occurred");
        var line = error.GetProperty("data")[0];
        line.GetProperty("line_number").GetInt32().ShouldBe(2);
        line.GetProperty("original_line").GetString().ShouldBe("m f=oops 2");
        line.GetProperty("error_message").GetString()!.ShouldContain("Invalid value 'oops' for field 'f'");
        (await CountAsync("w", "m")).ShouldBe("n\n2\n");
    }

    [Fact]
    public async Task Write_AcceptPartialFalse_RejectsEverything()
    {
        await WriteAsync("/api/v3/write_lp?db=w2", "m f=1 1");

        var error = await ErrorOf(await WriteAsync("/api/v3/write_lp?db=w2&accept_partial=false", "m f=2 2\nm f= 3"), HttpStatusCode.BadRequest);

        error.GetProperty("error").GetString().ShouldBe("line protocol parsing error");
        error.GetProperty("data").GetProperty("line_number").GetInt32().ShouldBe(2);
        (await CountAsync("w2", "m")).ShouldBe("n\n1\n");
    }

    [Fact]
    public async Task Write_TypeConflict_400WithBothTypes()
    {
        await WriteAsync("/api/v3/write_lp?db=w3", "m temp=21.5 1");

        var error = await ErrorOf(await WriteAsync("/api/v3/write_lp?db=w3", "m temp=\"warm\" 2"), HttpStatusCode.BadRequest);

        error.GetProperty("data")[0].GetProperty("error_message").GetString().ShouldBe(
            "invalid column type for column 'temp', expected iox::column_type::field::float, got iox::column_type::field::string");
    }

    [Fact]
    public async Task Write_EmptyBody_400()
    {
        var error = await ErrorOf(await WriteAsync("/api/v3/write_lp?db=w", "# only a comment\n\n"), HttpStatusCode.BadRequest);

        error.GetProperty("error").GetString().ShouldBe("incoming write was empty");
    }

    [Theory]
    [InlineData("/api/v3/write_lp", "missing query parameter 'db'")]
    [InlineData("/api/v3/write_lp?db=bad%20name", "invalid character")]
    [InlineData("/api/v3/write_lp?db=w&precision=h", "invalid precision 'h'")]
    [InlineData("/api/v3/write_lp?db=w&no_sync=maybe", "expected true or false")]
    public async Task Write_BadParameters_400NamingTheProblem(string path, string message)
    {
        var error = await ErrorOf(await WriteAsync(path, "m f=1"), HttpStatusCode.BadRequest);

        error.GetProperty("error").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task Write_OversizedBody_413()
    {
        var error = await ErrorOf(await WriteAsync("/api/v3/write_lp?db=w", new string('#', 70 * 1024)), HttpStatusCode.RequestEntityTooLarge);

        error.GetProperty("error").GetString().ShouldBe("max request size (65536 bytes) exceeded");
    }

    [Fact]
    public async Task Write_GzipBody_IsAccepted()
    {
        var compressed = new MemoryStream();
        await using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync("m f=1 1\nm f=2 2"u8.ToArray());
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        (await _server.Http.PostAsync("/api/v3/write_lp?db=gz", content)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await CountAsync("gz", "m")).ShouldBe("n\n2\n");
    }

    [Fact]
    public async Task Write_InvalidUtf8_400()
    {
        var error = await ErrorOf(await _server.Http.PostAsync("/api/v3/write_lp?db=w", new ByteArrayContent([(byte)'m', (byte)' ', (byte)'f', (byte)'=', 0xff])), HttpStatusCode.BadRequest);

        error.GetProperty("error").GetString().ShouldBe("body content is not valid utf8");
    }

    [Fact]
    public async Task Query_UnknownDatabase_404()
    {
        var error = await ErrorOf(await _server.Http.GetAsync("/api/v3/query_sql?db=nope&q=select%201"), HttpStatusCode.NotFound);

        error.GetProperty("error").GetString().ShouldBe("query error: database not found: nope");
    }

    [Fact]
    public async Task Query_UnknownColumn_400InInfluxDbsWords()
    {
        await WriteAsync("/api/v3/write_lp?db=q", "m f=1 1");

        var error = await ErrorOf(await _server.Http.GetAsync("/api/v3/query_sql?db=q&q=select%20missing%20from%20m"), HttpStatusCode.BadRequest);

        var message = error.GetProperty("error").GetString()!;
        message.ShouldContain("Schema error: No field named missing");
        message.ShouldNotContain("Candidate");
        message.ShouldNotContain("Binder Error");
    }

    [Fact]
    public async Task Query_MissingSql_400NamesField()
    {
        var error = await ErrorOf(await _server.Http.PostAsJsonAsync("/api/v3/query_sql", new { db = "q" }), HttpStatusCode.BadRequest);

        error.GetProperty("error").GetString()!.ShouldContain("missing field 'q'");
    }

    [Fact]
    public async Task Query_MalformedJsonBody_400()
    {
        var error = await ErrorOf(await _server.Http.PostAsync("/api/v3/query_sql", new StringContent("{\"db\": ")), HttpStatusCode.BadRequest);

        error.GetProperty("error").GetString()!.ShouldStartWith("invalid JSON body");
    }

    [Fact]
    public async Task CreateDatabase_DuplicateAndInvalid_409And400()
    {
        (await _server.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "dup" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await ErrorOf(await _server.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "dup" }), HttpStatusCode.Conflict))
            .GetProperty("error").GetString()!.ShouldContain("already exists");
        (await ErrorOf(await _server.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "_x" }), HttpStatusCode.BadRequest))
            .GetProperty("error").GetString()!.ShouldContain("did not start with a number or letter");
    }

    [Fact]
    public async Task DeleteDatabase_Unknown404_KnownGone()
    {
        await WriteAsync("/api/v3/write_lp?db=del", "m f=1 1");

        (await _server.Http.DeleteAsync("/api/v3/configure/database?db=del")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ErrorOf(await _server.Http.DeleteAsync("/api/v3/configure/database?db=del"), HttpStatusCode.NotFound))
            .GetProperty("error").GetString().ShouldBe("Database not found del");
    }

    [Fact]
    public async Task CreateTable_WithFields_ThenBadFieldType400()
    {
        await _server.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "t" });

        var created = await _server.Http.PostAsJsonAsync("/api/v3/configure/table", new { db = "t", table = "weather", tags = new[] { "city" }, fields = new[] { new { name = "temp", type = "float64" } } });
        var bad = await _server.Http.PostAsJsonAsync("/api/v3/configure/table", new { db = "t", table = "w2", tags = Array.Empty<string>(), fields = new[] { new { name = "x", type = "decimal" } } });

        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ErrorOf(bad, HttpStatusCode.BadRequest)).GetProperty("error").GetString()!.ShouldContain("field 'x' has type 'decimal'");
        var conflict = await ErrorOf(await WriteAsync("/api/v3/write_lp?db=t", "weather temp=1i"), HttpStatusCode.BadRequest);
        conflict.GetProperty("data")[0].GetProperty("error_message").GetString()!.ShouldContain("expected iox::column_type::field::float");
    }

    [Fact]
    public async Task UnknownPath_404Json()
    {
        var error = await ErrorOf(await _server.Http.GetAsync("/api/v3/nothing"), HttpStatusCode.NotFound);

        error.GetProperty("error").GetString()!.ShouldContain("/api/v3/nothing");
    }
}

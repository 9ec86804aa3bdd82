using System.Net;
using System.Net.Http.Headers;
using Scripting.Core.Errors;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Endpoints;

public sealed class ServerModesTests
{
    [Fact]
    public async Task InMemoryStore_WritesAndQueries_WithoutCreatingDataFiles()
    {
        var directory = TempDirectory.NewPath("unused");
        await using var server = await RunningServer.StartAsync(new ServerOptions { InMemory = true }, directory);

        (await server.Http.PostAsync("/api/v3/write_lp?db=mem", new StringContent(SeedData.Home))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var count = await server.Http.GetStringAsync("/api/v3/query_sql?db=mem&format=csv&q=select%20count(*)%20as%20n%20from%20home");

        count.ShouldBe("n\n12\n");
        Directory.Exists(directory).ShouldBeFalse();
    }

    [Fact]
    public async Task SecondServer_SameDataDir_IsRefusedWithReason()
    {
        await using var first = await RunningServer.StartAsync();

        var error = await Should.ThrowAsync<ScriptingException>(() => RunningServer.StartAsync(dataDirectory: first.DataDirectory));

        error.Message.ShouldContain("is in use by another scripting server");
    }

    [Theory]
    [InlineData("text/csv", "text/csv", "n\n12\n")]
    [InlineData("application/json", "application/json", "[{\"n\":12}]")]
    [InlineData("text/plain", "text/plain", "+----+\n| n  |\n+----+\n| 12 |\n+----+\n")]
    public async Task Query_WithoutFormat_UsesAcceptHeader(string accept, string contentType, string body)
    {
        await using var server = await RunningServer.StartAsync();
        await server.Http.PostAsync("/api/v3/write_lp?db=a", new StringContent(SeedData.Home));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/query_sql?db=a&q=select%20count(*)%20as%20n%20from%20home");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));

        var response = await server.Http.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.ShouldBe(contentType);
        (await response.Content.ReadAsStringAsync()).ShouldBe(body);
    }

    [Fact]
    public async Task Restart_SameDataDir_KeepsDatabasesAndRows()
    {
        var directory = TempDirectory.NewPath("restart");
        var first = await RunningServer.StartAsync(dataDirectory: directory);
        await first.Http.PostAsync("/api/v3/write_lp?db=keep", new StringContent(SeedData.Home));
        await first.StopAsync();

        await using var second = await RunningServer.StartAsync(dataDirectory: directory);

        (await second.Http.GetStringAsync("/api/v3/configure/database?format=csv")).ShouldBe("iox::database\n_internal\nkeep\n");
        (await second.Http.GetStringAsync("/api/v3/query_sql?db=keep&format=csv&q=select%20count(*)%20as%20n%20from%20home")).ShouldBe("n\n12\n");
    }
}

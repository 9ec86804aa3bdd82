using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scripting.Server.Tests.Engine;

/// <summary>Local stand-ins for the GitHub and Kapa.ai APIs the sample plugins call, on 127.0.0.1.</summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<StubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/repos/{owner}/{repo}/pulls", (HttpContext context, string owner, string repo) =>
        {
            var merged = DateTime.UtcNow.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            var self = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(new object[]
            {
                new { number = 1234, title = "Fix typo", merged_at = merged, @base = new { @ref = "master" }, user = new { login = "jstirna" }, url = $"{self}/repos/{owner}/{repo}/pulls/1234" },
                new { number = 1235, title = "Open PR", merged_at = (string?)null, @base = new { @ref = "master" }, user = new { login = "jdoe" }, url = $"{self}/repos/{owner}/{repo}/pulls/1235" },
                new { number = 1236, title = "Other branch", merged_at = merged, @base = new { @ref = "dev" }, user = new { login = "jdoe" }, url = $"{self}/repos/{owner}/{repo}/pulls/1236" },
            });
        });
        app.MapGet("/repos/{owner}/{repo}/pulls/{number:int}", () => Results.Json(new { additions = 20, deletions = 5 }));
        app.MapGet("/ingestion/v1/projects/{project}/sources/", (HttpContext context) =>
            context.Request.Headers["X-API-KEY"] == "kapa-secret"
                ? Results.Json(new { results = new[] { new { id = "s1", name = "Documentation", type = "scrape", ingested_at = "2020-01-01T00:00:00Z", next_run_at = "2030-01-01T00:00:00Z" } } })
                : Results.Json(new { error = "unauthorized" }, statusCode: 401));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StubServer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

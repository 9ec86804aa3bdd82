using System.Diagnostics;
using System.Text.Json;
using Scripting.Server.Tests.Engine;

namespace Scripting.Server.Tests.Flight;

/// <summary>
/// InfluxDB 3's official JavaScript client (<c>@influxdata/influxdb3-client</c>, its gRPC stack is
/// grpc-js) against this server: tests/clients/js/check.mjs writes and queries as an application would,
/// after <c>npm ci</c> from its lock file in a copy of the folder.
/// </summary>
[Trait("Category", "Slow")]
public sealed class JavaScriptClientTests : IAsyncLifetime
{
    private readonly string _directory = TempDirectory.NewPath("js-client");
    private RunningServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(authentication: true);
        _token = await _server.CreateAdminTokenAsync();
        Directory.CreateDirectory(_directory);
        foreach (var file in new[] { "package.json", "package-lock.json", "check.mjs" })
        {
            File.Copy(Path.Combine(SampleScenarios.RepositoryRoot(), "tests", "clients", "js", file), Path.Combine(_directory, file));
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TempDirectory.Remove(_directory);
    }

    [Fact]
    public async Task OfficialJavaScriptClient_WritesAndQueriesOverFlight()
    {
        var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
        install.ExitCode.ShouldBe(0, install.Output);

        var check = await RunAsync("node", ["check.mjs"], TimeSpan.FromMinutes(2));

        check.ExitCode.ShouldBe(0, check.Output);
        var steps = check.Output.Split('\n').Where(l => l.StartsWith("{\"step\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("step").GetString()!, e => e.GetProperty("value"));
        var rows = steps["rows"].EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("room").GetString()).ShouldBe(["Kitchen", "Living"]);
        rows[0].GetProperty("temp").GetDouble().ShouldBe(21.5);
        rows[0].GetProperty("co").GetInt64().ShouldBe(3); // an integer field arrives as a number, not dropped
        steps["params"].EnumerateArray().Select(e => e.GetString()).ShouldBe(["Kitchen"]);
        steps["points"].EnumerateArray().Select(e => e.GetString()!).ShouldAllBe(p => p.StartsWith("home,room=", StringComparison.Ordinal));
        steps["points"][0].GetString()!.ShouldContain("co=3i"); // tags as tags, integers as integers
        steps["unknown table"].GetString()!.ShouldContain("table 'public.iox.nope' not found");
        steps["bad token"].GetString()!.ShouldBe("the token is not valid");
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, TimeSpan limit)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HOST"] = _server.Address.ToString().TrimEnd('/');
        info.Environment["TOKEN"] = _token;
        info.Environment["npm_config_cache"] = Path.Combine(TempDirectory.Root, "npm-cache");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}

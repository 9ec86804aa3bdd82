using System.Net;

namespace Scripting.Cli.Tests;

/// <summary><c>serve</c>'s schema limit flags reach the catalog; nonsense is refused at start.</summary>
public sealed class SchemaLimitFlagTests : IDisposable
{
    private readonly string _dataDirectory = TempDirectory.NewPath("limits");

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Flags_SetTheLimits()
    {
        await using var server = await ServerProcess.StartAsync(_dataDirectory, "--num-database-limit", "1", "--num-table-limit", "1", "--num-total-columns-per-table-limit", "1");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        (await http.PostAsync("/api/v3/write_lp?db=one", new StringContent("m v=1i 1"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await http.PostAsync("/api/v3/write_lp?db=two", new StringContent("m v=1i 1"))).Content.ReadAsStringAsync()).ShouldContain("exceed limit of 1 databases");
        (await (await http.PostAsync("/api/v3/write_lp?db=one", new StringContent("n v=1i 1"))).Content.ReadAsStringAsync()).ShouldContain("(limit: 1)");
        (await (await http.PostAsync("/api/v3/write_lp?db=one", new StringContent("m w=1i 1"))).Content.ReadAsStringAsync()).ShouldContain("limit of 1 columns");
    }

    [Fact]
    public async Task AZeroLimit_IsRefusedByName()
    {
        var result = await CliProcess.RunAsync(["serve", "--data-dir", _dataDirectory, "--num-table-limit", "0"]);

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("invalid --num-table-limit 0: expected at least 1");
    }
}

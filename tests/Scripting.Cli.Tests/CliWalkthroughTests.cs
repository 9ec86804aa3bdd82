namespace Scripting.Cli.Tests;

/// <summary>The database steps of the seed walkthrough with `scripting` in place of `influxdb3`.</summary>
public sealed class CliWalkthroughTests : IAsyncLifetime
{
    private static readonly string Home = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cases", "seed-home.lp"));

    private readonly string _dataDirectory = TempDirectory.NewPath("cli");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(_dataDirectory, "--node-id", "rw01", "--mode", "ingest,query", "--cluster-id", "docsaichat", "--object-store", "file", "--log-filter", "debug");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task<CliResult> RunAsync(params string[] arguments) => CliProcess.RunAsync([.. arguments, "--host", _server.Url]);

    [Fact]
    public async Task Walkthrough_CreateWriteQuery_EveryFormat()
    {
        var created = await RunAsync("create", "database", "sensors");
        created.Stdout.Trim().ShouldBe("Database \"sensors\" created successfully");

        var written = await RunAsync("write", "--database", "sensors", Home);
        written.ExitCode.ShouldBe(0, written.Stderr);

        var pretty = await RunAsync("query", "--database", "sensors", "select room, temp, time from home where time > 1742198400 and time < 1742216400 order by time, room limit 2");
        pretty.Stdout.ShouldBe("""
            +-------------+------+---------------------+
            | room        | temp | time                |
            +-------------+------+---------------------+
            | Kitchen     | 23.0 | 2025-03-17T09:00:00 |
            | Living Room | 21.4 | 2025-03-17T09:00:00 |
            +-------------+------+---------------------+

            """);

        var sql = "select room, co from home where co = 1";
        (await RunAsync("query", "-d", "sensors", sql, "--format", "json")).Stdout.ShouldBe("[{\"room\":\"Kitchen\",\"co\":1}]\n");
        (await RunAsync("query", "-d", "sensors", sql, "--format", "jsonl")).Stdout.ShouldBe("{\"room\":\"Kitchen\",\"co\":1}\n");
        (await RunAsync("query", "-d", "sensors", sql, "--format", "csv")).Stdout.ShouldBe("room,co\nKitchen,1\n");

        var databases = await RunAsync("show", "databases", "--format", "csv");
        databases.Stdout.ShouldBe("iox::database\n_internal\nsensors\n");
    }

    [Fact]
    public async Task Write_FromFileAndStdin_AndEnvironmentVariables()
    {
        var file = Path.Combine(_dataDirectory, "lines.lp");
        await File.WriteAllTextAsync(file, "m f=1 1\nm f=2 2\n");
        var environment = new Dictionary<string, string> { ["INFLUXDB3_HOST_URL"] = _server.Url, ["INFLUXDB3_DATABASE_NAME"] = "envdb" };

        (await CliProcess.RunAsync(["write", "--file", file], environment: environment)).ExitCode.ShouldBe(0);
        (await CliProcess.RunAsync(["write", "--precision", "ms"], stdin: "m f=3 3000\n", environment: environment)).ExitCode.ShouldBe(0);
        var count = await CliProcess.RunAsync(["query", "--format", "csv", "select count(*) as n, sum(f) as s from m"], environment: environment);

        count.Stdout.ShouldBe("n,s\n3,6.0\n");
    }

    [Fact]
    public async Task Errors_OneClearLineAndNonZeroExit()
    {
        var unknown = await RunAsync("query", "-d", "missing", "select 1");
        var malformed = await RunAsync("write", "-d", "db", "m f=");
        var noDatabase = await RunAsync("query", "select 1");
        var unreachable = await CliProcess.RunAsync(["query", "-d", "x", "select 1", "--host", $"http://127.0.0.1:{CliProcess.FreePort()}"]);

        unknown.ExitCode.ShouldBe(1);
        unknown.Stderr.Trim().ShouldBe("Query command failed: server responded with error [404 Not Found]: query error: database not found: missing");
        malformed.ExitCode.ShouldBe(1);
        malformed.Stderr.Trim().ShouldBe("Write command failed: server responded with error [400 Bad Request]: partial write of line protocol occurred: line 1: Invalid value for field 'f': the value is missing");
        noDatabase.Stderr.Trim().ShouldBe("Query command failed: no database given: pass --database NAME or set INFLUXDB3_DATABASE_NAME");
        unreachable.ExitCode.ShouldBe(1);
        unreachable.Stderr.ShouldContain("could not reach the server");
    }

    [Fact]
    public async Task Serve_DataDirInUse_ExitsWithOneClearLine()
    {
        var second = await CliProcess.RunAsync(["serve", "--data-dir", _dataDirectory, "--http-bind", $"127.0.0.1:{CliProcess.FreePort()}"]);

        second.ExitCode.ShouldBe(1);
        second.Stderr.Trim().ShouldStartWith($"Serve command failed: data dir '{_dataDirectory}' is in use by another scripting server");
    }

    [Fact]
    public async Task DeleteDatabase_ThenShowDatabases_IsGone()
    {
        await RunAsync("create", "database", "temp1");

        var deleted = await RunAsync("delete", "database", "temp1");
        var databases = await RunAsync("show", "databases", "--format", "json");

        deleted.Stdout.Trim().ShouldBe("Database \"temp1\" deleted successfully");
        databases.Stdout.ShouldNotContain("temp1");
    }
}

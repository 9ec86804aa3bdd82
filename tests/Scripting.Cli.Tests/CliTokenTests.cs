namespace Scripting.Cli.Tests;

/// <summary>The seed walkthrough with tokens: the first admin token needs none, then every command takes --token or INFLUXDB3_AUTH_TOKEN.</summary>
public sealed class CliTokenTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "scripting-cli-tokens-" + Guid.NewGuid().ToString("N"));
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(Path.Combine(_root, "data"), authentication: true);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task CreateAdminToken_ThenCommandsWithTokenOrVariable_AndWithoutOneAClearError()
    {
        var created = await CliProcess.RunAsync(["create", "token", "--admin", "--host", _server.Url]);
        created.ExitCode.ShouldBe(0, created.Stderr);
        var token = created.Stdout.Split('\n').Single(l => l.StartsWith("Token: ", StringComparison.Ordinal))["Token: ".Length..].Trim();

        var refused = await CliProcess.RunAsync(["create", "database", "sensors", "--host", _server.Url]);
        var withFlag = await CliProcess.RunAsync(["create", "database", "sensors", "--host", _server.Url, "--token", token]);
        var withVariable = await CliProcess.RunAsync(["show", "databases", "--host", _server.Url, "--format", "csv"], environment: new Dictionary<string, string> { ["INFLUXDB3_AUTH_TOKEN"] = token });
        var named = await CliProcess.RunAsync(["create", "token", "--admin", "--name", "ci", "--expiry", "1d", "--host", _server.Url, "--token", token]);
        var listed = await CliProcess.RunAsync(["show", "tokens", "--host", _server.Url, "--token", token]);

        refused.ExitCode.ShouldBe(1);
        refused.Stderr.Trim().ShouldBe("Create command failed: server responded with error [401 Unauthorized]: the request was not authenticated");
        withFlag.Stdout.Trim().ShouldBe("Database \"sensors\" created successfully");
        withVariable.Stdout.ShouldContain("sensors");
        named.ExitCode.ShouldBe(0, named.Stderr);
        listed.Stdout.ShouldContain("_admin");
        listed.Stdout.ShouldContain("\tci\t");
        listed.Stdout.ShouldNotContain(token);
    }
}

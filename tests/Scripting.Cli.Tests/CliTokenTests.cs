namespace Scripting.Cli.Tests;

/// <summary>The seed walkthrough with tokens: the first admin token needs none, then every command takes --token or INFLUXDB3_AUTH_TOKEN.</summary>
public sealed class CliTokenTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.NewPath("cli-tokens");
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

    [Fact]
    public async Task Secrets_FromStdin_ListedWithoutValues_DeletedOnlyWhenUnused()
    {
        const string token = "apiv3_value-read-from-stdin";
        var keyFile = Path.Combine(_root, "key", "secrets.key");
        await using var server = await ServerProcess.StartAsync(Path.Combine(_root, "secret-data"), authentication: false, "--secrets-key-file", keyFile);
        string[] local = ["--host", server.Url];

        var stored = await CliProcess.RunAsync(["create", "secret", "server_token", .. local], stdin: token + "\n");
        var fromFile = await CliProcess.RunAsync(["create", "secret", "github", "--value", "ghp_x", .. local]);
        await CliProcess.RunAsync(["create", "database", "home", .. local]);
        var listed = await CliProcess.RunAsync(["show", "secrets", .. local]);
        var deleted = await CliProcess.RunAsync(["delete", "secret", "github", .. local]);
        var after = await CliProcess.RunAsync(["show", "secrets", .. local]);

        stored.ExitCode.ShouldBe(0, stored.Stderr);
        stored.Stdout.Trim().ShouldBe("Secret \"server_token\" created; refer to it in trigger arguments as ${secret:server_token}");
        fromFile.ExitCode.ShouldBe(0, fromFile.Stderr);
        listed.Stdout.ShouldContain("server_token\tcreated ");
        listed.Stdout.ShouldContain("never used\tused by no trigger");
        listed.Stdout.ShouldNotContain(token);
        listed.Stdout.ShouldNotContain("ghp_x");
        deleted.Stdout.Trim().ShouldBe("Secret \"github\" deleted successfully");
        after.Stdout.ShouldNotContain("github");
        File.Exists(keyFile).ShouldBeTrue();
    }

    [Fact]
    public async Task LostOperatorToken_RegeneratedOnTheRecoveryAddress_WhichServesNothingElse()
    {
        var recoveryPort = CliProcess.FreePort();
        var recoveryUrl = $"http://127.0.0.1:{recoveryPort}";
        await using var server = await ServerProcess.StartAsync(Path.Combine(_root, "recovery-data"), authentication: true, "--admin-token-recovery-http-bind", $"127.0.0.1:{recoveryPort}");
        var lost = await CliProcess.RunAsync(["create", "token", "--admin", "--host", server.Url]);
        var lostToken = lost.Stdout.Split('\n').Single(l => l.StartsWith("Token: ", StringComparison.Ordinal))["Token: ".Length..].Trim();

        var recovered = await CliProcess.RunAsync(["create", "token", "--admin", "--regenerate", "--host", recoveryUrl]);
        var newToken = recovered.Stdout.Split('\n').Single(l => l.StartsWith("Token: ", StringComparison.Ordinal))["Token: ".Length..].Trim();
        var withLost = await CliProcess.RunAsync(["show", "databases", "--host", server.Url, "--token", lostToken]);
        var withNew = await CliProcess.RunAsync(["show", "databases", "--host", server.Url, "--token", newToken]);
        var elsewhereOnRecovery = await CliProcess.RunAsync(["show", "databases", "--host", recoveryUrl, "--token", newToken]);
        var regenerateOnMainWithoutToken = await CliProcess.RunAsync(["create", "token", "--admin", "--regenerate", "--host", server.Url]);

        recovered.ExitCode.ShouldBe(0, recovered.Stderr);
        newToken.ShouldStartWith("apiv3_");
        newToken.ShouldNotBe(lostToken);
        withLost.Stderr.ShouldContain("401 Unauthorized");
        withNew.ExitCode.ShouldBe(0, withNew.Stderr);
        elsewhereOnRecovery.ExitCode.ShouldBe(1);
        elsewhereOnRecovery.Stderr.ShouldContain("the admin token recovery address serves only POST /api/v3/configure/token/admin/regenerate");
        regenerateOnMainWithoutToken.Stderr.ShouldContain("401 Unauthorized");
    }
}

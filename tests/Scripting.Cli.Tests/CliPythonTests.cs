namespace Scripting.Cli.Tests;

/// <summary>`serve` without a usable Python, and `install package|requirements`.</summary>
[Trait("Category", "Python")]
public sealed class CliPythonTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.NewPath("cli-python");

    private string Plugins => Path.Combine(_root, "plugins");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Plugins);
        File.WriteAllText(Path.Combine(Plugins, "hello.csx"), "object process_request(IInfluxDb3Local influxdb3_local, IReadOnlyDictionary<string, string> query_parameters, IReadOnlyDictionary<string, string> request_headers, byte[] request_body, IReadOnlyDictionary<string, string>? args) => \"csharp works\";\n");
        File.WriteAllText(Path.Combine(Plugins, "hello.py"), "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'python works'\n");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_WithoutUsablePython_SaysWhatItLookedFor_AndCSharpStillRuns()
    {
        await using var server = await ServerProcess.StartAsync(Path.Combine(_root, "data"), "--plugin-dir", Plugins, "--python", "/nonexistent/python9");
        await CliProcess.RunAsync(["create", "database", "home", "--host", server.Url]);

        var csharp = await CliProcess.RunAsync(["create", "trigger", "-d", "home", "--trigger-spec", "request:cs", "--plugin-filename", "hello.csx", "cs", "--host", server.Url]);
        var python = await CliProcess.RunAsync(["create", "trigger", "-d", "home", "--trigger-spec", "request:py", "--plugin-filename", "hello.py", "py", "--host", server.Url]);

        string.Join('\n', server.Output).ShouldContain("Python plugins are off: no Python interpreter found: tried '/nonexistent/python9'");
        string.Join('\n', server.Output).ShouldContain("install Python 3.11 or newer");
        csharp.ExitCode.ShouldBe(0, csharp.Stderr);
        using var http = new HttpClient();
        (await http.GetStringAsync($"{server.Url}/api/v3/engine/cs")).ShouldBe("csharp works");
        python.ExitCode.ShouldBe(1);
        python.Stderr.ShouldContain("Python plugins cannot run on this server: no Python interpreter found");
    }

    [Fact]
    public async Task Serve_WithPython_RunsPythonPlugins_AndInstallCommandsReportPip()
    {
        await using var server = await ServerProcess.StartAsync(Path.Combine(_root, "data"), "--plugin-dir", Plugins);
        await CliProcess.RunAsync(["create", "database", "home", "--host", server.Url]);
        (await CliProcess.RunAsync(["create", "trigger", "-d", "home", "--trigger-spec", "request:py", "--plugin-filename", "hello.py", "py", "--host", server.Url])).ExitCode.ShouldBe(0);
        using var http = new HttpClient();
        (await http.GetStringAsync($"{server.Url}/api/v3/engine/py")).ShouldBe("python works");
        Directory.Exists(Path.Combine(Plugins, ".venv")).ShouldBeTrue();

        var nothing = await CliProcess.RunAsync(["install", "package", "--host", server.Url]);
        var missing = await CliProcess.RunAsync(["install", "package", Path.Combine(_root, "absent-1.0-py3-none-any.whl"), "--host", server.Url]);

        nothing.ExitCode.ShouldBe(1);
        nothing.Stderr.ShouldContain("name at least one package or pass -r REQUIREMENTS_FILE");
        missing.ExitCode.ShouldBe(1);
        missing.Stderr.ShouldContain("error installing python packages: pip install");
        missing.Stderr.ShouldContain("absent-1.0-py3-none-any.whl");
    }
}

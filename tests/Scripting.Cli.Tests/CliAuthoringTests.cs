using System.Text.Json;

namespace Scripting.Cli.Tests;

/// <summary>The authoring loop from the command line: scaffold, dry run, upload, replace, list.</summary>
[Trait("Category", "Python")]
public sealed class CliAuthoringTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.NewPath("cli-authoring");
    private ServerProcess _server = null!;

    private string Plugins => Path.Combine(_root, "plugins");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Plugins);
        _server = await ServerProcess.StartAsync(Path.Combine(_root, "data"), "--plugin-dir", Plugins);
        await RunAsync("create", "database", "home");
        await RunAsync("write", "-d", "home", "home,room=Kitchen temp=20.5 1");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<CliResult> RunAsync(params string[] arguments) => CliProcess.RunAsync([.. arguments, "--host", _server.Url]);

    private static Task<CliResult> LocalAsync(params string[] arguments) => CliProcess.RunAsync(arguments);

    [Theory]
    [InlineData("python", "writes")]
    [InlineData("python", "schedule")]
    [InlineData("python", "request")]
    [InlineData("csharp", "writes")]
    [InlineData("csharp", "schedule")]
    [InlineData("csharp", "request")]
    public async Task ScaffoldedPlugin_RunsAsItIs(string language, string type)
    {
        var name = $"new_{language}_{type}";
        var file = name + (language == "python" ? ".py" : ".csx");

        var created = await LocalAsync("create", "plugin", name, "--language", language, "--type", type, "--plugin-dir", Plugins);

        created.ExitCode.ShouldBe(0, created.Stderr);
        created.Stdout.ShouldContain($"Plugin {Path.Combine(Plugins, file)} created successfully");
        File.Exists(Path.Combine(Plugins, language == "python" ? "influxdb3_plugin.pyi" : ".scripting/Scripting.PluginApi.dll")).ShouldBeTrue();
        switch (type)
        {
            case "writes":
                var wal = await RunAsync("test", "wal_plugin", "-d", "home", "--lp", "home,room=Hall temp=19.5", file);
                wal.ExitCode.ShouldBe(0, wal.Stderr);
                var walResult = JsonDocument.Parse(wal.Stdout).RootElement;
                walResult.GetProperty("errors").GetArrayLength().ShouldBe(0, wal.Stdout);
                walResult.GetProperty("log_lines")[1].GetString().ShouldBe("INFO: 1 rows written to home");
                walResult.GetProperty("database_writes").GetProperty("home")[0].GetString().ShouldBe($"{name}_counts,table=home rows=1i");
                break;
            case "schedule":
                var schedule = await RunAsync("test", "schedule_plugin", "-d", "home", file);
                schedule.ExitCode.ShouldBe(0, schedule.Stderr);
                var scheduleResult = JsonDocument.Parse(schedule.Stdout).RootElement;
                scheduleResult.GetProperty("errors").GetArrayLength().ShouldBe(0, schedule.Stdout);
                scheduleResult.GetProperty("log_lines")[1].GetString()!.ShouldStartWith("INFO: run 1, scheduled for ");
                scheduleResult.GetProperty("database_writes").GetProperty("home")[0].GetString()!.ShouldStartWith($"{name}_runs run=1i ");
                break;
            default:
                (await RunAsync("create", "trigger", "-d", "home", "--trigger-spec", $"request:{name}", "--plugin-filename", file, name)).ExitCode.ShouldBe(0);
                using (var http = new HttpClient())
                {
                    var body = await http.GetStringAsync($"{_server.Url}/api/v3/engine/{name}?name=ann");
                    JsonDocument.Parse(body).RootElement.GetProperty("greeting").GetString().ShouldBe("hello, ann");
                }

                break;
        }
    }

    [Fact]
    public async Task Scaffold_RefusesToOverwriteAndBadNames()
    {
        (await LocalAsync("create", "plugin", "twice", "--type", "request", "--plugin-dir", Plugins)).ExitCode.ShouldBe(0);

        var again = await LocalAsync("create", "plugin", "twice", "--type", "request", "--plugin-dir", Plugins);
        var badName = await LocalAsync("create", "plugin", "../up", "--type", "request", "--plugin-dir", Plugins);

        again.ExitCode.ShouldBe(1);
        again.Stderr.ShouldContain("exists; pass --force to overwrite it");
        badName.ExitCode.ShouldBe(1);
        badName.Stderr.ShouldContain("invalid plugin name '../up'");
    }

    [Fact]
    public async Task UploadReplaceBreakAndFix_TheListingFollows()
    {
        var local = Path.Combine(_root, "mine");
        Directory.CreateDirectory(local);
        var source = Path.Combine(local, "greet.py");
        File.WriteAllText(source, "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'one'\n");

        var created = await RunAsync("create", "trigger", "-d", "home", "--trigger-spec", "request:greet", "--path", source, "--upload", "greet");
        created.ExitCode.ShouldBe(0, created.Stderr);
        using var http = new HttpClient();
        (await http.GetStringAsync($"{_server.Url}/api/v3/engine/greet")).ShouldBe("one");
        File.Exists(Path.Combine(Plugins, "greet.py")).ShouldBeTrue();

        File.WriteAllText(source, "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None)\n    return 'two'\n");
        (await RunAsync("update", "trigger", "-d", "home", "--trigger-name", "greet", "--path", source)).Stdout.Trim().ShouldBe("Trigger 'greet' updated successfully");
        var broken = await RunAsync("show", "plugins", "--format", "csv");
        broken.Stdout.ShouldContain("greet.py,python,process_request,home/greet,error,greet.py:1:");

        File.WriteAllText(source, "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return 'three'\n");
        await RunAsync("update", "trigger", "-d", "home", "--trigger-name", "greet", "--path", source);
        (await http.GetStringAsync($"{_server.Url}/api/v3/engine/greet")).ShouldBe("three");
        (await RunAsync("show", "plugins", "--format", "csv")).Stdout.ShouldContain("greet.py,python,process_request,home/greet,loaded,");
    }
}

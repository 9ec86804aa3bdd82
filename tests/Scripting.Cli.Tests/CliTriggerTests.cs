namespace Scripting.Cli.Tests;

/// <summary>The trigger verbs of the seed walkthrough, with `scripting` in place of `influxdb3`.</summary>
public sealed class CliTriggerTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.NewPath("cli-triggers");
    private ServerProcess _server = null!;

    private string Plugins => Path.Combine(_root, "plugins");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Plugins);
        await File.WriteAllTextAsync(Path.Combine(Plugins, "sensors_sched.csx"), """
            void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
                => influxdb3_local.info("tick", call_time);
            """);
        _server = await ServerProcess.StartAsync(Path.Combine(_root, "data"), "--plugin-dir", Plugins);
        await RunAsync("create", "database", "sensors");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<CliResult> RunAsync(params string[] arguments) => CliProcess.RunAsync([.. arguments, "--host", _server.Url]);

    [Fact]
    public async Task CreateShowDisableDelete_SeedCommandShape()
    {
        var created = await RunAsync("create", "trigger", "--database", "sensors", "--trigger-spec", "every:10s", "--plugin-filename", "sensors_sched.csx",
            "--trigger-arguments", "threshold=90,url=http://x/?a=b", "--error-behavior", "retry", "sensors_sched_2");
        created.Stdout.Trim().ShouldBe("Trigger sensors_sched_2 created successfully", created.Stderr);

        var listed = await RunAsync("show", "triggers", "--database", "sensors", "--format", "csv");
        listed.Stdout.ShouldBe("trigger_name,plugin_filename,trigger_specification,disabled,error_behavior,run_async\n" +
            "sensors_sched_2,sensors_sched.csx,\"{\"\"every\"\":{\"\"duration\"\":{\"\"secs\"\":10,\"\"nanos\"\":0}}}\",false,retry,false\n");

        var refused = await RunAsync("delete", "trigger", "--database", "sensors", "sensors_sched_2");
        refused.ExitCode.ShouldBe(1);
        refused.Stderr.ShouldContain("Disable it first or use --force");

        (await RunAsync("disable", "trigger", "--database", "sensors", "sensors_sched_2")).Stdout.Trim().ShouldBe("Trigger sensors_sched_2 disabled successfully");
        (await RunAsync("enable", "trigger", "--database", "sensors", "sensors_sched_2")).Stdout.Trim().ShouldBe("Trigger sensors_sched_2 enabled successfully");
        (await RunAsync("delete", "trigger", "--database", "sensors", "--force", "sensors_sched_2")).Stdout.Trim().ShouldBe("Trigger sensors_sched_2 deleted successfully");
    }

    [Fact]
    public async Task CreateTrigger_Errors_OneLineEach()
    {
        var badSpec = await RunAsync("create", "trigger", "-d", "sensors", "--trigger-spec", "every:ten", "--plugin-filename", "sensors_sched.csx", "t1");
        var noDatabase = await RunAsync("create", "trigger", "-d", "aichat", "--trigger-spec", "every:10s", "--plugin-filename", "sensors_sched.csx", "t2");
        var wrongKind = await RunAsync("create", "trigger", "-d", "sensors", "--trigger-spec", "request:x", "--plugin-filename", "sensors_sched.csx", "t3");

        badSpec.Stderr.Trim().ShouldBe("Create command failed: invalid value 'every:ten' for '--trigger-spec': failed to parse trigger from every:ten: couldn't parse to duration: expected a number at 'ten'");
        noDatabase.Stderr.Trim().ShouldBe("Create command failed: server responded with error [404 Not Found]: Database not found aichat");
        wrongKind.Stderr.ShouldContain("process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None)");
        new[] { badSpec, noDatabase, wrongKind }.ShouldAllBe(r => r.ExitCode == 1);
    }
}

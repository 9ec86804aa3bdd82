using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scripting.Core.Plugins;
using Scripting.CSharp;
using Scripting.Engine.Logs;
using Scripting.Engine.Plugins;
using Scripting.PluginApi;

namespace Scripting.Engine.Tests;

/// <summary>Hot reload through the plugin loader with the real C# runtime.</summary>
public sealed class HotReloadTests : IDisposable
{
    private readonly string _plugins = TempDirectory.NewPath("reload");
    private readonly PluginLoader _loader;
    private readonly PluginLogStore _logs = new(new FakeTimeProvider(), NullLogger<PluginLogStore>.Instance);

    public HotReloadTests()
    {
        Directory.CreateDirectory(_plugins);
        _loader = new PluginLoader(_plugins, [new CSharpRuntime()], _logs, NullLogger<PluginLoader>.Instance);
    }

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    private void Edit(string body) => File.WriteAllText(Path.Combine(_plugins, "live.csx"),
        $"object process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => {body};");

    private object? Call()
    {
        using var lease = _loader.Acquire("live.csx");
        return lease.Code.ProcessRequest(null!, new RequestInput(new Dictionary<string, string>(), new Dictionary<string, string>(), []), null, default);
    }

    [Fact]
    public void CSharpPlugin_FileChanged_NextRunUsesNewCode()
    {
        Edit("\"one\"");
        Call().ShouldBe("one");

        Edit("\"two\"");

        Call().ShouldBe("two");
    }

    [Fact]
    public void CSharpPlugin_LoadedFileChanged_NextRunUsesNewCode()
    {
        var helper = Path.Combine(_plugins, "helper.csx");
        File.WriteAllText(helper, "static string Text() => \"first\";");
        File.WriteAllText(Path.Combine(_plugins, "live.csx"), "#load \"helper.csx\"\nobject process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => Text();");
        Call().ShouldBe("first");

        File.WriteAllText(helper, "static string Text() => \"second!\";");

        Call().ShouldBe("second!");
    }

    [Fact]
    public void CSharpPlugin_BrokenEdit_LastGoodVersionKeepsRunningAndErrorIsLoggedOnce()
    {
        Edit("\"good\"");
        Call().ShouldBe("good");

        Edit("\"bad\" +");
        Call().ShouldBe("good");
        Call().ShouldBe("good");

        _logs.Snapshot().Count(e => e.Level == PluginLogLevel.Error).ShouldBe(1);
        _loader.LastError("live.csx")!.ShouldStartWith("live.csx:1:");
    }

    [Fact]
    public void CSharpPlugin_InFlightRun_KeepsItsVersionUntilItEnds()
    {
        Edit("\"old\"");
        using var inFlight = _loader.Acquire("live.csx");

        Edit("\"new\"");
        Call().ShouldBe("new");

        inFlight.Code.ProcessRequest(null!, new RequestInput(new Dictionary<string, string>(), new Dictionary<string, string>(), []), null, default).ShouldBe("old");
    }

    [Fact]
    public void CSharpPlugin_200EditReloadCycles_LoadedAssembliesAndMemoryStayFlat()
    {
        long memoryAfterWarmUp = 0;
        for (var cycle = 0; cycle < 200; cycle++)
        {
            Edit($"\"v{cycle}\"");
            Call().ShouldBe($"v{cycle}");
            if (cycle == 49)
            {
                memoryAfterWarmUp = SettledMemory();
            }
        }

        var memoryAfterAll = SettledMemory();
        var pluginContexts = AssemblyLoadContext.All.Count(c => c.Name?.StartsWith("live.csx@", StringComparison.Ordinal) == true);

        pluginContexts.ShouldBeLessThanOrEqualTo(2, "only the current version (and at most one awaiting collection) stays loaded");
        (memoryAfterAll - memoryAfterWarmUp).ShouldBeLessThan(20L * 1024 * 1024, $"memory grew from {memoryAfterWarmUp:N0} to {memoryAfterAll:N0} bytes over 150 reloads");
    }

    private static long SettledMemory()
    {
        for (var i = 0; i < 5; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

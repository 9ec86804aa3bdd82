using System.Runtime.CompilerServices;
using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.CSharp.Tests;

public sealed class CSharpRuntimeTests : IDisposable
{
    private readonly string _directory = TempDirectory.NewPath("csx");
    private readonly CSharpRuntime _runtime = new();

    public CSharpRuntimeTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private IPluginCode Load(string name, string code)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, code);
        var (entry, _) = _runtime.Locate(path);
        return _runtime.Load(new PluginSource(name, entry, Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void Load_SnakeCaseEntryPoints_AreFoundAndCalled()
    {
        var code = Load("p.csx", """
            void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
            {
                foreach (var batch in table_batches)
                {
                    influxdb3_local.info("table", batch.table_name, batch.rows.Count);
                    influxdb3_local.write(new LineBuilder("copy").int64_field("n", batch.rows.Count));
                }
            }
            """);
        var local = new RecordingLocal();

        code.EntryPoints.ShouldBe(EntryPoints.ProcessWrites);
        code.ProcessWrites(local, [new TableBatch("home", [new Dictionary<string, object?> { ["temp"] = 1.0 }])], null, default);

        local.Logs.ShouldBe(["INFO: table home 1"]);
        local.Writes.ShouldBe(["copy n=1i"]);
    }

    [Fact]
    public void Load_PascalCaseRequest_ReturnsValue()
    {
        var code = Load("r.csx", """
            object ProcessRequest(IInfluxDb3Local local, IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers, byte[] body, IReadOnlyDictionary<string, string>? args)
                => new Dictionary<string, object> { ["hello"] = query.GetValueOrDefault("name", "world"), ["bytes"] = body.Length };
            """);

        var result = code.ProcessRequest(new RecordingLocal(), new RequestInput(new Dictionary<string, string> { ["name"] = "ann" }, new Dictionary<string, string>(), [1, 2]), null, default);

        result.ShouldBe(new Dictionary<string, object> { ["hello"] = "ann", ["bytes"] = 2 });
    }

    [Fact]
    public void Load_CompileError_ReportsFileLineColumn()
    {
        var error = Should.Throw<PluginLoadException>(() => Load("broken.csx", "void process_writes(IInfluxDb3Local l, IReadOnlyList<TableBatch> b, IReadOnlyDictionary<string, string>? a)\n{\n    var x = ;\n}\n"));

        error.Message.ShouldStartWith("broken.csx:3:13: error CS1525:");
    }

    [Fact]
    public void Load_WrongParameterTypes_SaysWhatIsExpected()
    {
        var error = Should.Throw<PluginLoadException>(() => Load("w.csx", "void process_writes(IInfluxDb3Local l, int b, string a) { }"));

        error.Message.ShouldContain("expected (IInfluxDb3Local, IReadOnlyList<TableBatch>, IReadOnlyDictionary<String, String>)");
    }

    [Fact]
    public async Task Run_InfiniteLoop_StopsWhenCancelled()
    {
        var code = Load("loop.csx", """
            void process_scheduled_call(IInfluxDb3Local local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
            {
                long n = 0;
                while (true) { n++; }
            }
            """);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var run = Task.Run(() => code.ProcessScheduledCall(new RecordingLocal(), DateTime.UtcNow, null, cancellation.Token));

        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Run_RecursionWithoutLoops_StopsWhenCancelled()
    {
        var code = Load("recurse.csx", """
            int Spin(int n) => n < 0 ? 0 : Step(n);
            int Step(int n) { return Spin(n % 1000); }
            void process_scheduled_call(IInfluxDb3Local local, DateTime call_time, IReadOnlyDictionary<string, string>? args) => Spin(1);
            """);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var run = Task.Factory.StartNew(() => code.ProcessScheduledCall(new RecordingLocal(), DateTime.UtcNow, null, cancellation.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Load_LoadDirective_IncludesOtherFile()
    {
        File.WriteAllText(Path.Combine(_directory, "helpers.csx"), "static string Greet(string who) => $\"hi {who}\";");
        var code = Load("main.csx", """
            #load "helpers.csx"
            object process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => Greet("you");
            """);

        _runtime.Locate(Path.Combine(_directory, "main.csx")).Files.ShouldContain(Path.Combine(_directory, "helpers.csx"));
        code.ProcessRequest(new RecordingLocal(), new RequestInput(new Dictionary<string, string>(), new Dictionary<string, string>(), []), null, default).ShouldBe("hi you");
    }

    [Fact]
    public void DirectoryPlugin_PluginCsxWithLoadedHelper_RunsAndListsEveryFile()
    {
        var plugin = Path.Combine(_directory, "multi");
        Directory.CreateDirectory(Path.Combine(plugin, "lib"));
        File.WriteAllText(Path.Combine(plugin, "lib", "format.csx"), "static string Format(int n) => $\"n={n}\";");
        File.WriteAllText(Path.Combine(plugin, "plugin.csx"), """
            #load "lib/format.csx"
            object process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => Format(7);
            """);

        _runtime.CanRun(plugin).ShouldBeTrue();
        var (entry, files) = _runtime.Locate(plugin);
        var code = _runtime.Load(new PluginSource("multi", entry, "v1v1v1v1v1v1v1"));

        files.Count.ShouldBe(2);
        code.ProcessRequest(new RecordingLocal(), new RequestInput(new Dictionary<string, string>(), new Dictionary<string, string>(), []), null, default).ShouldBe("n=7");
    }

    [Fact]
    public void Release_ManyVersions_LoadContextsAreCollected()
    {
        var contexts = LoadAndRelease(30);

        for (var i = 0; i < 10 && contexts.Any(c => c.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        contexts.Count(c => c.IsAlive).ShouldBe(0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<WeakReference> LoadAndRelease(int versions)
    {
        var references = new List<WeakReference>();
        for (var i = 0; i < versions; i++)
        {
            var code = Load("v.csx", $"object process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => \"v{i}\";");
            code.ProcessRequest(new RecordingLocal(), new RequestInput(new Dictionary<string, string>(), new Dictionary<string, string>(), []), null, default).ShouldBe($"v{i}");
            references.Add(new WeakReference(((Loading.CSharpPluginCode)code).Context));
            _runtime.Release(code);
        }

        return references;
    }

    [Fact]
    public void ReferenceToThePluginApi_ForEditors_IsTheServersOwn_WhereverItPoints()
    {
        var code = Load("with_r.csx", """
            #r ".scripting/Scripting.PluginApi.dll"
            #r "/nowhere/Scripting.PluginApi.dll"
            using Scripting.PluginApi;

            void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
                => influxdb3_local.write(new LineBuilder("m").int64_field("n", table_batches.Count));
            """);
        var local = new RecordingLocal();

        code.ProcessWrites(local, [], null, default);

        local.Writes.ShouldBe(["m n=0i"]);
    }

    [Fact]
    public void ReferenceToAMissingAssembly_IsACompileErrorWithItsPosition()
    {
        var error = Should.Throw<PluginLoadException>(() => Load("bad_r.csx", "#r \"missing.dll\"\nvoid process_writes(IInfluxDb3Local l, IReadOnlyList<TableBatch> b, IReadOnlyDictionary<string, string>? a) { }\n"));

        error.Message.ShouldStartWith("bad_r.csx:1:1: error CS0006");
    }
}

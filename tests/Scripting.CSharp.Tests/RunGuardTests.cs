using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.CSharp.Tests;

/// <summary>A C# plugin cannot end the server's process: runaway recursion ends the run, exit calls do not compile.</summary>
public sealed class RunGuardTests : IDisposable
{
    private readonly string _directory = TempDirectory.NewPath("guard");
    private readonly CSharpRuntime _runtime = new();

    public RunGuardTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private IPluginCode Load(string code, string name = "plugin.csx")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, code);
        var (entry, _) = _runtime.Locate(path);
        return _runtime.Load(new PluginSource(name, entry, Guid.NewGuid().ToString("N")));
    }

    /// <summary>Runs the scheduled entry point on a thread of its own, as the engine runs plugins, and returns what it threw.</summary>
    private static async Task<Exception?> RunAsync(IPluginCode code)
    {
        var run = Task.Factory.StartNew(
            () => code.ProcessScheduledCall(new RecordingLocal(), DateTime.UtcNow, null, CancellationToken.None),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(60));
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }

    [Theory]
    [InlineData("a method", "int Depth(int n) { return Depth(n + 1) + 1; }", "Depth(0);", 2)]
    [InlineData("an expression-bodied method", "int Depth(int n) => Depth(n + 1) + 1;", "Depth(0);", 2)]
    [InlineData("a void method", "void Down(int n) { Down(n + 1); n--; }", "Down(0);", 2)]
    [InlineData("a local function", "", "int Local(int n) => Local(n + 1) + 1; Local(0);", 5)]
    [InlineData("a property", "int Forever => Forever + 1;", "_ = Forever;", 2)]
    [InlineData("a lambda", "Func<int, int> f = null!;", "f = n => f(n + 1) + 1; f(0);", 5)]
    [InlineData("a block lambda", "Action<int> g = null!;", "g = n => { g(n + 1); n--; }; g(0);", 5)]
    [InlineData("a constructor", "class Node { public Node(int n) { _ = new Node(n + 1); } }", "_ = new Node(0);", 2)]
    public async Task RunawayRecursion_EndsTheRun_WithTheLineItRecursedOn(string through, string declaration, string call, int line)
    {
        var code = Load($$"""
            // recursion through {{through}}
            {{declaration}}
            void process_scheduled_call(IInfluxDb3Local local, DateTime time, IReadOnlyDictionary<string, string>? args)
            {
                {{call}}
            }
            """);

        var error = await RunAsync(code);

        var stopped = error.ShouldBeOfType<PluginCodeException>();
        stopped.Message.ShouldBe($"run stopped: recursion too deep in plugin.csx, line {line}");
    }

    [Fact]
    public async Task AfterStoppedRecursion_TheSameCode_RunsAgain()
    {
        var code = Load("""
            int Depth(int n, int limit) => n == limit ? 0 : 1 + Depth(n + 1, limit);
            void process_scheduled_call(IInfluxDb3Local local, DateTime time, IReadOnlyDictionary<string, string>? args)
            {
                local.info("depth", Depth(0, int.Parse(args!["limit"])));
            }
            """);
        var local = new RecordingLocal();

        Should.Throw<PluginCodeException>(() => Task.Factory.StartNew(
            () => code.ProcessScheduledCall(local, DateTime.UtcNow, new Dictionary<string, string> { ["limit"] = "100000000" }, CancellationToken.None),
            TaskCreationOptions.LongRunning).GetAwaiter().GetResult());
        code.ProcessScheduledCall(local, DateTime.UtcNow, new Dictionary<string, string> { ["limit"] = "1000" }, CancellationToken.None);

        local.Logs.ShouldBe(["INFO: depth 1000"]);
    }

    [Fact]
    public void LambdasInLinq_AndExpressionTrees_StillCompileAndRun()
    {
        var code = Load($$"""
            #r "{{typeof(System.Linq.Expressions.Expression).Assembly.Location}}"
            using System.Linq.Expressions;
            Expression<Func<int, int>> tree = n => n * 2;
            async Task<int> Later() => await Task.FromResult(3);
            async Task Nothing() => await Task.Yield();
            void Log(IInfluxDb3Local local, string text) => local.info(text);
            int Never(int n) => n > 0 ? n : throw new ArgumentOutOfRangeException(nameof(n));
            string Fail() => throw new InvalidOperationException("not reached");
            ref int First(int[] values) => ref values[0];
            Func<int, int> thrower = n => throw new InvalidOperationException("lambda");
            object process_request(IInfluxDb3Local local, IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers, byte[] body, IReadOnlyDictionary<string, string>? args)
            {
                Nothing().Wait();
                Log(local, "ok");
                First(new[] { Never(1) }) += 0;
                return Enumerable.Range(1, 4).Select(n => n * n).Where(n => n > 1).Sum() + tree.Compile()(5) + Later().Result;
            }
            """);

        code.ProcessRequest(new RecordingLocal(), new RequestInput(new Dictionary<string, string>(), new Dictionary<string, string>(), []), null, default).ShouldBe(29 + 10 + 3);
    }

    [Theory]
    [InlineData("Environment.Exit(1);", "4:5", "Environment.Exit would end the server's process")]
    [InlineData("Environment.FailFast(\"bye\");", "4:5", "Environment.FailFast would end the server's process")]
    [InlineData("Action<int> quit = Environment.Exit;", "4:24", "Environment.Exit would end the server's process")]
    [InlineData("System.Diagnostics.Process.GetCurrentProcess().Kill();", "4:5", "killing the server's own process is refused")]
    [InlineData("var me = System.Diagnostics.Process.GetProcessById(Environment.ProcessId); me.Kill(true);", "4:80", "killing the server's own process is refused")]
    public void ProcessEndingCalls_AreRefusedAtCompileTime_NamingTheCall(string statement, string position, string message)
    {
        var error = Should.Throw<PluginLoadException>(() => Load($$"""
            #r "{{typeof(System.Diagnostics.Process).Assembly.Location}}"
            void process_scheduled_call(IInfluxDb3Local local, DateTime time, IReadOnlyDictionary<string, string>? args)
            {
                {{statement}}
            }
            """));

        error.Message.ShouldStartWith($"plugin.csx:{position}: error: {message}");
    }

    [Fact]
    public void NativeFunctionDeclarations_AreRefused()
    {
        var error = Should.Throw<PluginLoadException>(() => Load("""
            [System.Runtime.InteropServices.DllImport("libc")] static extern void exit(int code);
            void process_scheduled_call(IInfluxDb3Local local, DateTime time, IReadOnlyDictionary<string, string>? args) => exit(0);
            """));

        error.Message.ShouldStartWith("plugin.csx:1:2: error: DllImport declares a native function");
    }

    [Fact]
    public void APlugin_CannotClearItsOwnDeadline()
    {
        var error = Should.Throw<PluginLoadException>(() => Load("""
            void process_scheduled_call(IInfluxDb3Local local, DateTime time, IReadOnlyDictionary<string, string>? args)
            {
                PluginCancellation.Current = default;
            }
            """));

        error.Message.ShouldStartWith("plugin.csx:3:5: error CS0200: Property or indexer 'PluginCancellation.Current' cannot be assigned to");
    }
}

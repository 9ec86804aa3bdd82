using Scripting.Core.Plugins;

namespace Scripting.Python.Tests;

/// <summary>Calls that would end the server's process fail the run instead, naming the call; other processes are still reachable.</summary>
[Trait("Category", "Python")]
public sealed class ProcessExitTests
{
    private static string RunFailure(string body)
    {
        var code = PythonFixture.Load($"import os, posix, signal, sys\n\ndef process_scheduled_call(influxdb3_local, call_time, args=None):\n    {body}\n");
        return Should.Throw<PluginCodeException>(() => code.ProcessScheduledCall(new RecordingLocal(), DateTime.UtcNow, null, CancellationToken.None)).Message;
    }

    [Theory]
    [InlineData("os._exit(0)", "RuntimeError: os._exit() would end the server's process; a plugin cannot call it")]
    [InlineData("posix._exit(3)", "RuntimeError: os._exit() would end the server's process; a plugin cannot call it")]
    [InlineData("os.abort()", "RuntimeError: os.abort() would end the server's process; a plugin cannot call it")]
    [InlineData("os.kill(os.getpid(), 9)", "RuntimeError: os.kill(")]
    [InlineData("os.kill(0, 15)", "RuntimeError: os.kill(0, 15) is aimed at the server's own process")]
    [InlineData("os.kill(-1, 9)", "RuntimeError: os.kill(-1, 9) is aimed at the server's own process")]
    [InlineData("os.killpg(os.getpgid(0), 9)", "RuntimeError: os.killpg(")]
    [InlineData("os.execv('/bin/true', ['true'])", "RuntimeError: os.execv() would replace the server's process")]
    [InlineData("signal.signal(signal.SIGTERM, signal.SIG_IGN)", "RuntimeError: signal.signal() would replace the server's signal handlers")]
    [InlineData("signal.raise_signal(signal.SIGKILL)", "RuntimeError: signal.raise_signal(9) is aimed at the server's own process")]
    [InlineData("signal.alarm(1)", "RuntimeError: signal.alarm() would end the server's process when the alarm goes off")]
    [InlineData("sys.exit(2)", "SystemExit: 2")]
    [InlineData("sys.setrecursionlimit(100000)", "ValueError: sys.setrecursionlimit(100000) is over the 10000 a plugin may set")]
    public void ProcessEndingCalls_FailTheRun_NamingTheCall(string call, string message)
    {
        RunFailure(call).ShouldStartWith(message);
    }

    [Fact]
    public void SignalsToOtherProcesses_AndProbesOfTheServer_StillWork()
    {
        var code = PythonFixture.Load("""
            import os, subprocess, signal

            def process_scheduled_call(influxdb3_local, call_time, args=None):
                child = subprocess.Popen(["sleep", "30"])
                os.kill(child.pid, signal.SIGTERM)
                os.kill(os.getpid(), 0)
                influxdb3_local.info("child", child.wait())
            """);
        var local = new RecordingLocal();

        code.ProcessScheduledCall(local, DateTime.UtcNow, null, CancellationToken.None);

        local.Logs.ShouldBe(["INFO: child -15"]);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(10000)]
    public async Task RecursionThroughCCode_UpToTheLimitAPluginMaySet_IsARecursionError(int limit)
    {
        var code = PythonFixture.Load($"import sys\nsys.setrecursionlimit({limit})\n\nclass Deeper:\n    def __init__(self, n):\n        self.n = n\n\n    def __str__(self):\n        return str(Deeper(self.n + 1))\n\ndef process_scheduled_call(influxdb3_local, call_time, args=None):\n    str(Deeper(0))\n");

        // On a pool thread, as the engine runs plugins.
        var error = await Task.Run(() => Should.Throw<PluginCodeException>(() => code.ProcessScheduledCall(new RecordingLocal(), DateTime.UtcNow, null, CancellationToken.None)));

        error.Message.ShouldStartWith("RecursionError: maximum recursion depth exceeded");
    }
}

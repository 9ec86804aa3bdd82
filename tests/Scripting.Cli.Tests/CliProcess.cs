using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Scripting.Cli.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real `scripting` program (scripting.dll beside the tests) as a child process.</summary>
public static class CliProcess
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "scripting.dll");

    /// <param name="arguments">The program's arguments.</param>
    /// <param name="environment">Variables to set.</param>
    /// <param name="wrapper">A command that execs the program with changed limits or privileges, such as setpriv; its arguments come first.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, IReadOnlyList<string>? wrapper = null)
    {
        var info = new ProcessStartInfo(wrapper is { Count: > 0 } ? wrapper[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (wrapper is { Count: > 0 })
        {
            foreach (var part in wrapper.Skip(1))
            {
                info.ArgumentList.Add(part);
            }

            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(Program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "INFLUXDB3_HOST_URL", "INFLUXDB3_DATABASE_NAME", "INFLUXDB3_AUTH_TOKEN", "INFLUXDB3_TLS_CA" })
        {
            info.Environment.Remove(name);
        }

        // What a killed process leaves behind (its diagnostic pipes, its temporary files) lands under the
        // test run's root, which is removed when the tests end.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.Environment["TMPDIR"] = TempDirectory.Root;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, string? stdin = null, IDictionary<string, string>? environment = null, IReadOnlyList<string>? wrapper = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment, wrapper))!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>`scripting serve` in a child process, on a free loopback port.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>What the server printed so far, stdout and stderr interleaved.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    /// <summary>
    /// Starts a server on a free port. The port is free when chosen but another process may take it before
    /// the server binds it; a start that fails because the address is in use is tried again on a new port.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArguments) =>
        StartAsync(dataDirectory, authentication: false, extraArguments);

    /// <param name="dataDirectory">The data dir.</param>
    /// <param name="authentication">Require tokens as a default server does; otherwise the server runs --without-auth.</param>
    /// <param name="extraArguments">More serve flags.</param>
    public static Task<ServerProcess> StartAsync(string dataDirectory, bool authentication, params string[] extraArguments) =>
        StartAsync(dataDirectory, wrapper: null, authentication, extraArguments);

    /// <summary>Starts a server without authentication through <paramref name="wrapper"/> (see <see cref="CliProcess.StartInfo"/>).</summary>
    public static Task<ServerProcess> StartWrappedAsync(string dataDirectory, IReadOnlyList<string> wrapper, params string[] extraArguments) =>
        StartAsync(dataDirectory, wrapper, authentication: false, extraArguments);

    private static async Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyList<string>? wrapper, bool authentication, string[] extraArguments)
    {
        extraArguments = authentication ? extraArguments : [.. extraArguments, "--without-auth"];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(dataDirectory, wrapper, extraArguments);
            }
            catch (InvalidOperationException error) when (attempt < 3 && error.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnceAsync(string dataDirectory, IReadOnlyList<string>? wrapper, string[] extraArguments)
    {
        var port = CliProcess.FreePort();
        var arguments = new List<string> { "serve", "--http-bind", $"127.0.0.1:{port}", "--data-dir", dataDirectory };
        arguments.AddRange(extraArguments);
        var process = Process.Start(CliProcess.StartInfo(arguments, wrapper: wrapper))!;
        var server = new ServerProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, line) => server.Output.Enqueue(line.Data ?? string.Empty);
        process.ErrorDataReceived += (_, line) => server.Output.Enqueue(line.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new InvalidOperationException($"scripting serve exited with code {process.ExitCode}: {string.Join('\n', server.Output)}");
            }

            try
            {
                if ((await http.GetAsync($"{server.Url}/health")).StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.Unauthorized)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("scripting serve did not answer /health within 60 s");
    }

    /// <summary>SIGTERM, as a service manager stops the server; returns how long it took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan limit)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return started.Elapsed;
    }

    /// <summary>Waits for the server to end on its own; returns its exit code.</summary>
    public async Task<int> ExitedAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}

using System.Diagnostics;
using System.Text;
using Scripting.Python.Discovery;

namespace Scripting.Python.Packages;

/// <summary>pip (or venv creation) failed; the message carries the tool's own output.</summary>
public sealed class PackageInstallException(string message) : Exception(message)
{
    public PackageInstallException()
        : this("package installation failed")
    {
    }

    public PackageInstallException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}

/// <summary>
/// The plugin virtual environment, where InfluxDB 3 keeps it: <c>--virtual-env-location</c>, else
/// <c>&lt;plugin-dir&gt;/.venv</c>. It is created without pip, which takes a fraction of a second; pip is
/// bootstrapped (ensurepip, no network) the first time a package is installed. Installs run one at a time.
/// </summary>
public sealed class VirtualEnvironment(string directory, PythonInstallation installation) : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _installs = new(1, 1);

    public string Directory => directory;

    /// <summary>The environment's interpreter, which the embedded interpreter takes as its program name.</summary>
    public string Python => Path.Combine(directory, "bin", "python3");

    public string SitePackages => Path.Combine(directory, "lib", $"python{installation.Version.Major}.{installation.Version.Minor}", "site-packages");

    public bool Exists => File.Exists(Path.Combine(directory, "pyvenv.cfg")) && File.Exists(Python);

    /// <summary>Creates the environment when missing; returns true when it was created now.</summary>
    /// <exception cref="PackageInstallException">venv failed; the message has its output.</exception>
    public bool EnsureCreated()
    {
        if (Exists)
        {
            return false;
        }

        var (exitCode, output) = RunAsync(installation.Executable, ["-m", "venv", "--without-pip", directory], CancellationToken.None).GetAwaiter().GetResult();
        return exitCode == 0
            ? true
            : throw new PackageInstallException($"could not create the plugin virtual environment at {directory} with '{installation.Executable} -m venv': {output.Trim()}");
    }

    /// <summary>pip install <paramref name="packages"/>; returns pip's output.</summary>
    /// <exception cref="PackageInstallException">pip failed; the message has its output.</exception>
    public Task<string> InstallPackagesAsync(IReadOnlyList<string> packages, CancellationToken cancellation) =>
        PipAsync(["install", .. packages], cancellation);

    /// <summary>pip install -r <paramref name="requirementsFile"/>; returns pip's output.</summary>
    public Task<string> InstallRequirementsAsync(string requirementsFile, CancellationToken cancellation) =>
        PipAsync(["install", "-r", requirementsFile], cancellation);

    private async Task<string> PipAsync(IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        await _installs.WaitAsync(cancellation);
        try
        {
            EnsureCreated();
            if (!HasPip())
            {
                var (bootstrapExit, bootstrapOutput) = await RunAsync(Python, ["-m", "ensurepip", "--default-pip"], cancellation);
                if (bootstrapExit != 0)
                {
                    throw new PackageInstallException($"pip is not available in {directory} and ensurepip failed (Debian: apt-get install python3-venv): {bootstrapOutput.Trim()}");
                }
            }

            var (exitCode, output) = await RunAsync(Python, ["-m", "pip", .. arguments], cancellation);
            return exitCode == 0
                ? output
                : throw new PackageInstallException($"pip {string.Join(' ', arguments)} failed with exit code {exitCode}:\n{output.Trim()}");
        }
        finally
        {
            _installs.Release();
        }
    }

    public void Dispose() => _installs.Dispose();

    private bool HasPip() =>
        System.IO.Directory.Exists(SitePackages) && System.IO.Directory.EnumerateDirectories(SitePackages, "pip").Any();

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
        start.Environment["PIP_NO_INPUT"] = "1";
        start.Environment.Remove("PYTHONHOME");
        start.Environment.Remove("PYTHONPATH");
        using var process = Process.Start(start) ?? throw new PackageInstallException($"could not start {program}");
        var output = new StringBuilder();
        var lines = Lock();
        process.OutputDataReceived += (_, line) => Append(output, lines, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, lines, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new PackageInstallException($"{program} {string.Join(' ', arguments)} did not finish within {ToolTimeout.TotalMinutes} minutes and was stopped");
        }

        process.WaitForExit();
        lock (lines)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static object Lock() => new();

    private static void Append(StringBuilder output, object gate, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            output.AppendLine(line);
        }
    }
}

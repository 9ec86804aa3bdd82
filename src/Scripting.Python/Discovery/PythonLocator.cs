using System.Diagnostics;

namespace Scripting.Python.Discovery;

/// <summary>Where a usable CPython is, as its own sysconfig reports it.</summary>
public sealed record PythonInstallation(string Executable, string Library, Version Version);

/// <summary>
/// Finds libpython, the embedded interpreter's library: from an explicit interpreter (<c>--python</c>), else
/// <c>SCRIPTING_PYTHON</c>, else <c>python3</c> on PATH, asking that interpreter for sysconfig's
/// LIBDIR and LDLIBRARY. Python 3.11 or newer with a shared library is required.
/// </summary>
public static class PythonLocator
{
    public static readonly Version Minimum = new(3, 11);

    private const string Script = "import sysconfig, sys; print(sys.executable); print(sysconfig.get_config_var('LIBDIR') or ''); print(sysconfig.get_config_var('LDLIBRARY') or ''); print('%d.%d' % sys.version_info[:2])";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (PythonInstallation? Installation, string? Problem)> Found = new(StringComparer.Ordinal);

    /// <summary>Returns the installation, or null with a message saying what was looked for and what to install.</summary>
    /// <remarks>The answer for an interpreter is kept for the process: asking Python costs a process start.</remarks>
    public static PythonInstallation? Find(string? explicitInterpreter, out string? problem)
    {
        var interpreter = explicitInterpreter ?? Environment.GetEnvironmentVariable("SCRIPTING_PYTHON") ?? "python3";
        var (installation, found) = Found.GetOrAdd(interpreter, static name => (Probe(name, out var why), why));
        problem = found;
        return installation;
    }

    private static PythonInstallation? Probe(string interpreter, out string? problem)
    {
        problem = null;
        string[] lines;
        try
        {
            var start = new ProcessStartInfo(interpreter, ["-c", Script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            lines = output.Split('\n', StringSplitOptions.TrimEntries);
            if (process.ExitCode != 0 || lines.Length < 4)
            {
                problem = $"'{interpreter}' did not report its installation (exit code {process.ExitCode})";
                return null;
            }
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            problem = $"no Python interpreter found: tried '{interpreter}' ({error.Message}); install Python {Minimum} or newer with its shared library (Debian: apt-get install python3 libpython3-dev), or pass --python PATH";
            return null;
        }

        var version = Version.Parse(lines[3]);
        if (version < Minimum)
        {
            problem = $"'{lines[0]}' is Python {version}; Python {Minimum} or newer is needed";
            return null;
        }

        var library = Path.Combine(lines[1], lines[2]);
        if (lines[2].Length == 0 || !File.Exists(library))
        {
            problem = $"'{lines[0]}' (Python {version}) has no shared library at '{library}'; install a build with libpython (Debian: apt-get install libpython{version.Major}.{version.Minor})";
            return null;
        }

        return new PythonInstallation(lines[0], library, version);
    }
}

using Microsoft.Extensions.Logging;
using Scripting.Core.Plugins;
using Scripting.Python;
using Scripting.Python.Discovery;
using Scripting.Python.Packages;

namespace Scripting.Server.Hosting;

/// <summary>
/// Python support as the server found it: the runtime (or a stand-in that says why Python is off), and the
/// plugin virtual environment that package installs go to.
/// </summary>
internal sealed class PythonPlugins
{
    private PythonPlugins(IPluginRuntime runtime, VirtualEnvironment? environment, IReadOnlyList<(LogLevel Level, string Message)> notes)
    {
        Runtime = runtime;
        Environment = environment;
        Notes = notes;
    }

    public IPluginRuntime Runtime { get; }

    /// <summary>Null when there is no environment to install into (no Python, or no plugin dir).</summary>
    public VirtualEnvironment? Environment { get; }

    /// <summary>What start-up found, logged once the server's logging runs.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Notes { get; }

    public static PythonPlugins Start(ServerOptions options)
    {
        var installation = PythonLocator.Find(options.PythonInterpreter, out var problem);
        if (installation is null)
        {
            return new PythonPlugins(new UnavailablePythonRuntime(problem!), null, [(LogLevel.Warning, $"Python plugins are off: {problem}. C# plugins run as usual.")]);
        }

        var notes = new List<(LogLevel, string)>();
        var location = options.VirtualEnvLocation ?? (options.PluginDirectory is null ? null : Path.Combine(options.PluginDirectory, ".venv"));
        VirtualEnvironment? environment = null;
        if (location is not null)
        {
            environment = new VirtualEnvironment(Path.GetFullPath(location), installation);
            try
            {
                if (environment.EnsureCreated())
                {
                    notes.Add((LogLevel.Information, $"created the plugin virtual environment at {environment.Directory}"));
                }
            }
            catch (PackageInstallException error)
            {
                notes.Add((LogLevel.Warning, error.Message + "; plugins run without it and package installs are unavailable"));
                environment.Dispose();
                environment = null;
            }
        }

        try
        {
            var runtime = new PythonRuntime(installation, environment);
            notes.Add((LogLevel.Information, $"Python plugins run on Python {installation.Version} ({installation.Library}){(environment is null ? string.Empty : $", virtual environment {environment.Directory}")}"));
            return new PythonPlugins(runtime, environment, notes);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or PythonException or InvalidOperationException)
        {
            var message = $"Python {installation.Version} at {installation.Library} could not be embedded: {error.Message}";
            return new PythonPlugins(new UnavailablePythonRuntime(message), null, [(LogLevel.Warning, $"Python plugins are off: {message}. C# plugins run as usual.")]);
        }
    }
}

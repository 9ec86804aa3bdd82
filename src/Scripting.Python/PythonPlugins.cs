using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scripting.Core.Plugins;
using Scripting.Python.Discovery;
using Scripting.Python.Packages;

namespace Scripting.Python;

/// <summary>Which Python runs plugins, and where their packages go.</summary>
/// <param name="PythonInterpreter">An interpreter to use instead of the one found on the machine.</param>
/// <param name="VirtualEnvLocation">The plugin virtual environment; &lt;plugin-dir&gt;/.venv when null.</param>
/// <param name="PluginDirectory">The plugin directory, if the server has one.</param>
public sealed record PythonSettings(string? PythonInterpreter, string? VirtualEnvLocation, string? PluginDirectory);

/// <summary>
/// Python support as the server found it: the runtime (or a stand-in that says why Python is off), and the
/// plugin virtual environment that package installs go to.
/// </summary>
public sealed class PythonPlugins
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

    public static PythonPlugins Start(PythonSettings options)
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

public static class PythonRegistration
{
    /// <summary>
    /// Python plugins on the embedded interpreter: the runtime for the engine (or a stand-in that says why
    /// Python is off), the plugin virtual environment for package installs, the templates for authors.
    /// Python is looked for when the runtime is first needed, and what was found is logged then.
    /// </summary>
    public static IServiceCollection AddPythonPlugins(this IServiceCollection services, PythonSettings settings) => services
        .AddSingleton(provider =>
        {
            var python = PythonPlugins.Start(settings);
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Scripting.Python");
            foreach (var (level, message) in python.Notes)
            {
                logger.Log(level, "{Message}", message);
            }

            return python;
        })
        .AddSingleton(provider => provider.GetRequiredService<PythonPlugins>().Runtime)
        .AddSingleton<IPluginAuthoring, PythonAuthoring>();
}

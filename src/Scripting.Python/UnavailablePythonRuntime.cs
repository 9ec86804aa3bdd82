using Scripting.Core.Plugins;

namespace Scripting.Python;

/// <summary>
/// Stands in for the Python runtime when no usable Python was found: Python plugins are still recognised,
/// so a trigger on one gets an error that says why Python is off, while C# plugins run as usual.
/// </summary>
public sealed class UnavailablePythonRuntime(string problem) : IPluginRuntime
{
    public string Language => "python";

    public bool CanRun(string path) =>
        (File.Exists(path) && path.EndsWith(".py", StringComparison.OrdinalIgnoreCase))
        || (Directory.Exists(path) && File.Exists(Path.Combine(path, PythonRuntime.DirectoryEntryFile)));

    public (string EntryFile, IReadOnlyList<string> Files) Locate(string path) =>
        Directory.Exists(path) ? (Path.Combine(path, PythonRuntime.DirectoryEntryFile), [Path.Combine(path, PythonRuntime.DirectoryEntryFile)]) : (path, [path]);

    public IPluginCode Load(PluginSource source) =>
        throw new PluginLoadException($"Python plugins cannot run on this server: {problem}");

    public void Release(IPluginCode code)
    {
    }
}

using Scripting.Core.Plugins;

namespace Scripting.Python;

/// <summary>
/// Stands in for the Python runtime when no usable Python was found: Python plugins are still recognised,
/// so a trigger on one gets an error that says why Python is off, while C# plugins run as usual.
/// </summary>
internal sealed class UnavailablePythonRuntime(string problem) : IPluginRuntime
{
    public PluginLanguage Language => PythonRuntime.Conventions;

    public (string EntryFile, IReadOnlyList<string> Files) Locate(string path) =>
        Directory.Exists(path) ? (Path.Combine(path, Language.DirectoryEntryFile), [Path.Combine(path, Language.DirectoryEntryFile)]) : (path, [path]);

    public IPluginCode Load(PluginSource source) =>
        throw new PluginLoadException($"Python plugins cannot run on this server: {problem}");

    public void Release(IPluginCode code)
    {
    }
}

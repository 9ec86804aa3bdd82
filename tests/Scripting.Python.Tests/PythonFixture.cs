using Scripting.Core.Plugins;
using Scripting.Python.Discovery;

namespace Scripting.Python.Tests;

/// <summary>The runtime over the machine's python3, and plugins written to a temporary directory.</summary>
internal static class PythonFixture
{
    private static readonly Lazy<PythonRuntime> Shared = new(() =>
        new PythonRuntime(PythonLocator.Find(null, out var problem) ?? throw new InvalidOperationException(problem)));

    public static PythonRuntime Runtime => Shared.Value;

    public static string NewDirectory()
    {
        var directory = TempDirectory.NewPath("python");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Writes <paramref name="source"/> as a single-file plugin and loads it.</summary>
    public static IPluginCode Load(string source, string name = "plugin.py")
    {
        var directory = NewDirectory();
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, source);
        return Runtime.Load(new PluginSource(name, path, Guid.NewGuid().ToString("N")));
    }

    public static IPluginCode LoadPackage(string directory, string name) =>
        Runtime.Load(new PluginSource(name, Path.Combine(directory, name, PythonRuntime.Conventions.DirectoryEntryFile), Guid.NewGuid().ToString("N")));

    public static RequestInput Request(string body = "", IReadOnlyDictionary<string, string>? query = null, IReadOnlyDictionary<string, string>? headers = null) =>
        new(query ?? new Dictionary<string, string>(), headers ?? new Dictionary<string, string>(), System.Text.Encoding.UTF8.GetBytes(body));
}

using Scripting.Core.Plugins;
using Scripting.Python.Bridge;
using Scripting.Python.Discovery;
using Scripting.Python.Interop;
using Scripting.Python.Packages;

namespace Scripting.Python;

/// <summary>
/// Runs Python plugins in the one embedded CPython: a <c>.py</c> file is compiled once per
/// version and executed in a fresh namespace on every call; a directory with <c>__init__.py</c> is imported
/// as a package named after the directory, and a new version evicts the package and its submodules from
/// <c>sys.modules</c> before importing again.
/// </summary>
public sealed class PythonRuntime : IPluginRuntime
{
    /// <summary>Python plugins: <c>name.py</c>, or a package directory whose entry is <c>__init__.py</c>.</summary>
    public static readonly PluginLanguage Conventions = new("python", "Python", ".py", "__init__.py");

    /// <summary>Starts the interpreter (once per process) and the runtime's Python half.</summary>
    /// <param name="installation">The Python found by <see cref="PythonLocator"/>.</param>
    /// <param name="environment">
    /// The plugin virtual environment (created already), whose packages plugins import; null for none. Its
    /// interpreter becomes the program name, so CPython finds its pyvenv.cfg and site-packages; its
    /// site-packages is also added explicitly, for an interpreter that was started before.
    /// </param>
    public PythonRuntime(PythonInstallation installation, VirtualEnvironment? environment = null)
    {
        Installation = PythonInterpreter.Start(installation, environment?.Python);
        PythonHost.Start();
        if (environment is not null)
        {
            PythonInterpreter.Evaluate($"__import__('site').addsitedir({PythonInterpreter.Literal(environment.SitePackages)})");
        }
    }

    /// <summary>Makes packages installed since start importable (import caches are refreshed).</summary>
    public static void PackagesChanged() => PythonInterpreter.Evaluate("__import__('importlib').invalidate_caches()");

    public PythonInstallation Installation { get; }

    public PluginLanguage Language => Conventions;

    public bool CanRun(string path) => Conventions.Recognizes(path);

    public long ArenaBytes => Interop.ArenaCounter.Bytes;

    public (string EntryFile, IReadOnlyList<string> Files) Locate(string path)
    {
        if (!Directory.Exists(path))
        {
            return (path, [path]);
        }

        var files = Directory.EnumerateFiles(path, "*" + Conventions.Extension, SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(path, file).Split(Path.DirectorySeparatorChar).Any(part => part is "__pycache__" || part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
        return (Path.Combine(path, Conventions.DirectoryEntryFile), files);
    }

    public unsafe IPluginCode Load(PluginSource source)
    {
        var isPackage = Path.GetFileName(source.EntryFile) == Conventions.DirectoryEntryFile && !Conventions.IsSourceFile(source.Name.TrimEnd('/', '\\'));
        var path = isPackage ? Path.GetDirectoryName(source.EntryFile)! : source.EntryFile;
        var text = isPackage ? null : File.ReadAllText(source.EntryFile);
        var pluginDirectory = PluginDirectory(source, path);
        using var gil = PythonInterpreter.Gil.Acquire();
        var result = PythonHost.Call(PythonHost.Load, PyValues.Str(path), text is null ? PyValues.None() : PyValues.Str(text), PyValues.Str(pluginDirectory));
        try
        {
            var error = LibPython.PyTuple_GetItem(result, 2);
            if (error != LibPython.None)
            {
                throw new PluginLoadException(PyValues.ToText(error));
            }

            var names = LibPython.PyTuple_GetItem(result, 1);
            var entryPoints = EntryPoints.None;
            nint position = 0;
            foreach (var entryPoint in new[] { EntryPoints.ProcessWrites, EntryPoints.ProcessScheduledCall, EntryPoints.ProcessRequest })
            {
                for (position = 0; position < ListLength(names); position++)
                {
                    if (PyValues.ToText(ListItem(names, position)) == EntryPointSignatures.Name(entryPoint))
                    {
                        entryPoints |= entryPoint;
                    }
                }
            }

            return new PythonPluginCode(PythonObject.FromBorrowed(LibPython.PyTuple_GetItem(result, 0)), entryPoints);
        }
        finally
        {
            LibPython.Py_DecRef(result);
        }
    }

    /// <summary>Nothing to do at once: the plugin's objects go when the last reference does.</summary>
    public void Release(IPluginCode code)
    {
    }

    /// <summary>The directory names in error positions are relative to: the one holding the plugin.</summary>
    private static string PluginDirectory(PluginSource source, string path)
    {
        var depth = source.Name.Replace('\\', '/').Trim('/').Split('/').Length;
        var directory = path;
        for (var i = 0; i < depth; i++)
        {
            directory = Path.GetDirectoryName(directory) ?? directory;
        }

        return directory;
    }

    private static unsafe nint ListLength(nint list) => LibPython.PyList_Size(list);

    private static unsafe nint ListItem(nint list, nint index) => LibPython.PyList_GetItem(list, index);
}

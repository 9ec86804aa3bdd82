namespace Scripting.Core.Plugins;

/// <summary>
/// How a language's plugins look on disk. The loader, the plugin file endpoints and the CLI ask the
/// registered languages, so none of them names a language's files.
/// </summary>
/// <param name="Name">The name in the API and the CLI: python, csharp.</param>
/// <param name="DisplayName">The name for people: Python, C#.</param>
/// <param name="Extension">Of a single-file plugin and of every source file of a directory plugin: .py, .csx.</param>
/// <param name="DirectoryEntryFile">The file a directory plugin starts from: __init__.py, plugin.csx.</param>
public sealed record PluginLanguage(string Name, string DisplayName, string Extension, string DirectoryEntryFile)
{
    public bool IsSourceFile(string path) => path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>A file with this language's extension, or a directory holding its entry file.</summary>
    public bool Recognizes(string path) =>
        (File.Exists(path) && IsSourceFile(path)) || (Directory.Exists(path) && File.Exists(Path.Combine(path, DirectoryEntryFile)));

    /// <summary>For error messages: "Python plugins end in .py (or are a directory with __init__.py)".</summary>
    public string Describe() => $"{DisplayName} plugins end in {Extension} (or are a directory with {DirectoryEntryFile})";
}

/// <summary>What a language gives plugin authors: a plugin that runs as it is, per entry point, and the files editors need beside it.</summary>
public interface IPluginAuthoring
{
    PluginLanguage Language { get; }

    /// <summary>A plugin named <paramref name="name"/> with the full signature of <paramref name="entryPoint"/> and a short example of logging, writing and querying.</summary>
    string Template(EntryPoints entryPoint, string name);

    /// <summary>Files that give editors the plugin API (type stubs, the API assembly), relative to the plugin directory.</summary>
    IEnumerable<(string RelativePath, byte[] Content)> EditorFiles();
}

using System.Reflection;
using System.Text.RegularExpressions;
using Scripting.Core.Plugins;
using Scripting.CSharp.Compilation;
using Scripting.CSharp.Loading;

namespace Scripting.CSharp;

/// <summary>
/// Runs <c>.csx</c> plugins compiled by Roslyn. A single file is a plugin; so is a directory holding
/// <c>plugin.csx</c>. Each version is compiled once and loaded into its own collectible load context,
/// unloaded when the engine releases it, so edits do not leak assemblies.
/// </summary>
public sealed partial class CSharpRuntime : IPluginRuntime
{
    /// <summary>C# plugins: <c>name.csx</c>, or a directory whose entry is <c>plugin.csx</c>.</summary>
    public static readonly PluginLanguage Conventions = new("csharp", "C#", ".csx", "plugin.csx");

    public PluginLanguage Language => Conventions;

    public bool CanRun(string path) => Conventions.Recognizes(path);

    public (string EntryFile, IReadOnlyList<string> Files) Locate(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*" + Conventions.Extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            return (Path.Combine(path, Conventions.DirectoryEntryFile), files);
        }

        return (path, [path, .. LoadedFiles(path)]);
    }

    public IPluginCode Load(PluginSource source)
    {
        var (image, scriptClass) = ScriptCompiler.Compile(source);
        var context = new PluginLoadContext($"{source.Name}@{source.Version[..12]}");
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(image));
            var type = assembly.GetType(scriptClass) ?? throw new PluginLoadException($"{source.Name}: compiled script class '{scriptClass}' not found");
            var factory = type.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.Static)
                ?? throw new PluginLoadException($"{source.Name}: compiled script has no factory");
            var submissions = new object?[2];
            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Scripting.PluginApi.PluginCancellation.Current = cancellation.Token;
            try
            {
                ((Task<object>)factory.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [submissions], null)!).GetAwaiter().GetResult();
            }
            catch (Exception error) when (error is not PluginLoadException)
            {
                throw new PluginLoadException($"{source.Name}: top-level code failed: {error.GetType().Name}: {error.Message}");
            }
            finally
            {
                Scripting.PluginApi.PluginCancellation.Current = default;
            }

            var submission = submissions[1] ?? throw new PluginLoadException($"{source.Name}: the script did not initialise");
            return new CSharpPluginCode(context, submission);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    public void Release(IPluginCode code)
    {
        if (code is CSharpPluginCode csharp)
        {
            csharp.Unload();
        }
    }

    /// <summary>Files named by <c>#load "..."</c>, so editing one of them reloads the plugin too.</summary>
    private static IEnumerable<string> LoadedFiles(string file)
    {
        var directory = Path.GetDirectoryName(file)!;
        foreach (Match match in LoadDirective().Matches(File.ReadAllText(file)))
        {
            yield return Path.GetFullPath(Path.Combine(directory, match.Groups[1].Value));
        }
    }

    [GeneratedRegex("^\\s*#load\\s+\"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex LoadDirective();
}

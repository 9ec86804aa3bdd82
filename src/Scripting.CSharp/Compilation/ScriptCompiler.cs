using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.CSharp.Compilation;

/// <summary>
/// Compiles a <c>.csx</c> plugin (and the files it <c>#load</c>s) to an in-memory assembly, with the usual
/// namespaces imported and the plugin API referenced, after refusing calls that would end the process
/// (<see cref="ProcessExitCheck"/>) and guarding its loops, methods and lambdas (<see cref="RunGuardRewriter"/>).
/// </summary>
internal static class ScriptCompiler
{
    public static readonly ImmutableArray<string> Imports =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Text.Json", "System.Net.Http",
        "System.Threading", "System.Threading.Tasks", "System.Globalization", "Scripting.PluginApi",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var assemblies = new[]
        {
            typeof(object), typeof(Enumerable), typeof(System.Text.Json.JsonSerializer), typeof(HttpClient), typeof(Uri),
            typeof(System.Collections.Generic.List<>), typeof(System.Collections.Concurrent.ConcurrentDictionary<,>),
            typeof(System.Text.RegularExpressions.Regex), typeof(LineBuilder), typeof(System.ComponentModel.Component),
        }.Select(t => t.Assembly.Location);
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var facades = new[] { "System.Runtime.dll", "netstandard.dll", "System.Collections.dll", "System.Linq.dll", "System.Net.Http.dll", "System.Text.Json.dll", "System.Net.Primitives.dll", "System.Memory.dll" }
            .Select(f => Path.Combine(runtime, f))
            .Where(File.Exists);
        return [.. assemblies.Concat(facades).Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static (byte[] Assembly, string ScriptClass) Compile(PluginSource source)
    {
        var directory = Path.GetDirectoryName(source.EntryFile)!;
        var options = ScriptOptions.Default
            .WithReferences(References.Value)
            .WithImports(Imports)
            .WithFilePath(source.EntryFile)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithSourceResolver(new SourceFileResolver([], directory))
            .WithMetadataResolver(new PluginApiReferenceResolver(directory))
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(false)
            .WithAllowUnsafe(false);
        var code = File.ReadAllText(source.EntryFile);
        var compilation = CSharpScript.Create(code, options).GetCompilation();

        // Errors are reported against the code as written, before the cancellation checks move columns.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new PluginLoadException(string.Join("\n", errors.Take(20).Select(d => Describe(d, directory))));
        }

        var written = compilation;
        var refused = written.SyntaxTrees
            .SelectMany(tree => ProcessExitCheck.Find(written.GetSemanticModel(tree)))
            .Select(r => Describe(r.Where, "", r.Message, directory))
            .ToList();
        if (refused.Count > 0)
        {
            throw new PluginLoadException(string.Join("\n", refused.Take(20)));
        }

        // The guarded code is compiled from its text: trees a #load brought in cannot be replaced in a
        // compilation, so the loaded files are served rewritten to the second compile.
        var guarded = written.SyntaxTrees.ToDictionary(
            tree => tree.FilePath,
            tree => new RunGuardRewriter(written.GetSemanticModel(tree), Relative(tree.FilePath, directory)).Visit(tree.GetRoot()).ToFullString(),
            StringComparer.Ordinal);
        compilation = CSharpScript.Create(guarded[source.EntryFile], options.WithSourceResolver(new GuardedSources(directory, guarded))).GetCompilation();
        var unguarded = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (unguarded.Count > 0)
        {
            throw new PluginLoadException("the plugin compiles, but not once guarded against runaway runs (please report this): "
                + string.Join("\n", unguarded.Take(5).Select(d => Describe(d, directory))));
        }

        compilation = compilation.WithAssemblyName($"plugin-{Path.GetFileNameWithoutExtension(source.EntryFile)}-{source.Version[..12]}");
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var failures = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success || failures.Count > 0)
        {
            throw new PluginLoadException(string.Join("\n", failures.Take(20).Select(d => Describe(d, directory))));
        }

        var scriptClass = compilation.ScriptClass?.MetadataName ?? throw new PluginLoadException($"{source.EntryFile}: not a C# script");
        return (image.ToArray(), scriptClass);
    }

    private static string Relative(string path, string directory) => string.IsNullOrEmpty(path) ? "<plugin>" : Path.GetRelativePath(directory, path);

    /// <summary>The plugin's files as the guard rewrote them, for the second compile's <c>#load</c>s.</summary>
    private sealed class GuardedSources(string directory, Dictionary<string, string> guarded) : SourceFileResolver([], directory)
    {
        public override Stream OpenRead(string resolvedPath) =>
            guarded.TryGetValue(resolvedPath, out var text) ? new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) : base.OpenRead(resolvedPath);
    }

    /// <summary>file:line:col: error CSxxxx: message, with the file relative to the plugin.</summary>
    private static string Describe(Diagnostic diagnostic, string directory) =>
        Describe(diagnostic.Location, $" {diagnostic.Id}", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), directory);

    private static string Describe(Location location, string id, string message, string directory)
    {
        var span = location.GetMappedLineSpan();
        var path = string.IsNullOrEmpty(span.Path) ? "<plugin>" : Path.GetRelativePath(directory, span.Path);
        return $"{path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}: error{id}: {message}";
    }
}

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
/// namespaces imported and the plugin API referenced, after making its loops and methods cancellable.
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
        var written = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (written.Count > 0)
        {
            throw new PluginLoadException(string.Join("\n", written.Take(20).Select(d => Describe(d, directory))));
        }

        var rewriter = new CancellationRewriter();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var rewritten = rewriter.Visit(tree.GetRoot());
            compilation = compilation.ReplaceSyntaxTree(tree, tree.WithRootAndOptions(rewritten, tree.Options));
        }

        compilation = compilation.WithAssemblyName($"plugin-{Path.GetFileNameWithoutExtension(source.EntryFile)}-{source.Version[..12]}");
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success || errors.Count > 0)
        {
            throw new PluginLoadException(string.Join("\n", errors.Take(20).Select(d => Describe(d, directory))));
        }

        var scriptClass = compilation.ScriptClass?.MetadataName ?? throw new PluginLoadException($"{source.EntryFile}: not a C# script");
        return (image.ToArray(), scriptClass);
    }

    /// <summary>file:line:col: error CSxxxx: message, with the file relative to the plugin.</summary>
    private static string Describe(Diagnostic diagnostic, string directory)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var path = string.IsNullOrEmpty(span.Path) ? "<plugin>" : Path.GetRelativePath(directory, span.Path);
        return $"{path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}: error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    internal static Assembly? _ => null;
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Scripting.PluginApi;

namespace Scripting.CSharp.Compilation;

/// <summary>
/// Resolves <c>#r</c> directives. A <c>#r</c> of <c>Scripting.PluginApi.dll</c>, wherever it points (the copy
/// <c>scripting create plugin</c> leaves in <c>.scripting/</c> so editors can resolve the API), means the
/// server's own plugin API, so types match at run time; other references resolve as usual, relative to
/// the plugin's directory.
/// </summary>
internal sealed class PluginApiReferenceResolver(string baseDirectory) : MetadataReferenceResolver
{
    private const string PluginApiFile = "Scripting.PluginApi.dll";
    private static readonly ImmutableArray<PortableExecutableReference> PluginApi =
        [MetadataReference.CreateFromFile(typeof(LineBuilder).Assembly.Location)];

    private readonly ScriptMetadataResolver _default = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory);

    public override bool ResolveMissingAssemblies => _default.ResolveMissingAssemblies;

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        string.Equals(Path.GetFileName(reference), PluginApiFile, StringComparison.OrdinalIgnoreCase)
            ? PluginApi
            : _default.ResolveReference(reference, baseFilePath, properties);

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        _default.ResolveMissingAssembly(definition, referenceIdentity);

    public override bool Equals(object? other) => other is PluginApiReferenceResolver resolver && resolver._default.Equals(_default);

    public override int GetHashCode() => _default.GetHashCode();
}

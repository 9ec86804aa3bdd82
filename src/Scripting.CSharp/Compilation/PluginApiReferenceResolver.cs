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

    /// <summary>
    /// Assemblies the references need but do not list (about 170 framework assemblies per compile), read once
    /// per process: read again for every compile, their metadata took some 30 MiB of native memory per
    /// edit of a plugin, which the process never got back.
    /// </summary>
    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        MissingAssemblies.GetOrAdd(referenceIdentity, _ => _default.ResolveMissingAssembly(definition, referenceIdentity));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<AssemblyIdentity, PortableExecutableReference?> MissingAssemblies = new();

    public override bool Equals(object? other) => other is PluginApiReferenceResolver resolver && resolver._default.Equals(_default);

    public override int GetHashCode() => _default.GetHashCode();
}

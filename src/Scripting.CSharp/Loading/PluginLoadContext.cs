using System.Reflection;
using System.Runtime.Loader;

namespace Scripting.CSharp.Loading;

/// <summary>
/// A collectible load context per plugin version. Everything but the plugin itself (the plugin API, the
/// framework) resolves from the default context, so plugin and engine share the API types; unloading
/// the context frees the plugin's assembly once nothing references it.
/// </summary>
internal sealed class PluginLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) => null;
}

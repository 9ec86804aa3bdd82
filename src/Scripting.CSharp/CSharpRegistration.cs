using Microsoft.Extensions.DependencyInjection;
using Scripting.Core.Plugins;

namespace Scripting.CSharp;

public static class CSharpRegistration
{
    /// <summary>C# plugins (<c>.csx</c>), compiled by Roslyn: the runtime for the engine, the templates for authors.</summary>
    public static IServiceCollection AddCSharpPlugins(this IServiceCollection services) => services
        .AddSingleton<IPluginRuntime, CSharpRuntime>()
        .AddSingleton<IPluginAuthoring, CSharpAuthoring>();
}

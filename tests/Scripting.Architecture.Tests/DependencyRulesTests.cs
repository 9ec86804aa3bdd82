using System.Reflection;

namespace Scripting.Architecture.Tests;

/// <summary>
/// The dependency picture of docs/architecture.md, checked on the built assemblies: arrows point to
/// the leaves; the engine knows only Core and PluginApi; the wire contract knows nothing and the client only it; the CLI reaches the server only over HTTP
/// (Server, and Query for the query limits of `serve`, are referenced solely to host `serve`).
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Scripting.PluginApi"] = [],
        ["Scripting.Contracts"] = [],
        ["Scripting.Core"] = ["Scripting.PluginApi"],
        ["Scripting.Storage"] = ["Scripting.Core", "Scripting.PluginApi"],
        ["Scripting.Query"] = ["Scripting.Core", "Scripting.PluginApi"],
        ["Scripting.Flight"] = ["Scripting.Core", "Scripting.PluginApi", "Scripting.Query", "Scripting.InfluxQL"],
        ["Scripting.InfluxQL"] = ["Scripting.Core", "Scripting.PluginApi", "Scripting.Query"],
        ["Scripting.Engine"] = ["Scripting.Core", "Scripting.PluginApi"],
        ["Scripting.Client"] = ["Scripting.Contracts"],
        ["Scripting.CSharp"] = ["Scripting.Core", "Scripting.PluginApi"],
        ["Scripting.Python"] = ["Scripting.Core", "Scripting.PluginApi"],
        ["Scripting.Server"] = ["Scripting.Contracts", "Scripting.Core", "Scripting.PluginApi", "Scripting.Storage", "Scripting.Query", "Scripting.Flight", "Scripting.InfluxQL", "Scripting.Engine", "Scripting.CSharp", "Scripting.Python"],
        ["scripting"] = ["Scripting.Contracts", "Scripting.Core", "Scripting.PluginApi", "Scripting.Client", "Scripting.Server", "Scripting.Query"],
    };

    public static IEnumerable<object[]> Projects() => Allowed.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_References_OnlyAllowedProjects(string project)
    {
        var assembly = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, project + ".dll"));

        var forbidden = ForbiddenReferences(assembly, Allowed[project]);

        forbidden.ShouldBeEmpty($"{project} must not reference {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void ForbiddenReferences_ReferenceOutsideAllowedList_IsReported()
    {
        var storage = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "Scripting.Storage.dll"));

        ForbiddenReferences(storage, ["Scripting.PluginApi"]).ShouldBe(["Scripting.Core"]);
    }

    private static List<string> ForbiddenReferences(Assembly assembly, string[] allowed) =>
        assembly.GetReferencedAssemblies()
            .Select(r => r.Name!)
            .Where(name => name.StartsWith("Scripting.", StringComparison.Ordinal) || name == "scripting")
            .Where(name => !allowed.Contains(name))
            .ToList();
}

namespace Scripting.Python.Tests;

/// <summary>The editor stubs (influxdb3_plugin.pyi) describe what the runtime really provides.</summary>
[Trait("Category", "Python")]
public sealed class StubTests
{
    private static string Stubs => Path.Combine(AppContext.BaseDirectory, "stubs");

    [Theory]
    [InlineData("InfluxDB3Local", "InfluxDB3Local")]
    [InlineData("PluginCache", "PluginCache")]
    [InlineData("LineBuilder", "LineBuilder")]
    public void StubClass_HasExactlyThePublicMembersOfTheRuntimeClass(string stubClass, string runtimeClass)
    {
        _ = PythonFixture.Runtime;
        var stubPath = PythonInterpreter.Literal(Path.Combine(Stubs, "influxdb3_plugin.pyi"));

        var stub = PythonInterpreter.Evaluate(
            $"sorted(n.name for c in __import__('ast').parse(open({stubPath}).read()).body if getattr(c, 'name', '') == '{stubClass}' for n in c.body if hasattr(n, 'name') and not n.name.startswith('_'))");
        var runtime = PythonInterpreter.Evaluate(
            $"sorted(n for n in dir(__import__('sys').modules['_scripting_api'].{runtimeClass}) if not n.startswith('_'))");

        stub.ShouldBe(runtime);
        stub.ShouldNotBe("[]");
    }

    [Fact]
    public void Stubs_AreValidPython_AndBuiltinsStubNamesLineBuilder()
    {
        _ = PythonFixture.Runtime;
        foreach (var file in new[] { "influxdb3_plugin.pyi", "__builtins__.pyi" })
        {
            PythonInterpreter.Evaluate($"type(__import__('ast').parse(open({PythonInterpreter.Literal(Path.Combine(Stubs, file))}).read())).__name__").ShouldBe("Module");
        }

        File.ReadAllText(Path.Combine(Stubs, "__builtins__.pyi")).ShouldContain("from influxdb3_plugin import LineBuilder as LineBuilder");
    }
}

using Scripting.Core.Plugins;

namespace Scripting.Python.Tests;

/// <summary>Directory plugins are packages: relative imports work; a new version evicts the old modules.</summary>
[Trait("Category", "Python")]
public sealed class PackagePluginTests
{
    [Fact]
    public void Package_WithRelativeImports_RunsAndReloadsEveryModule()
    {
        var directory = PythonFixture.NewDirectory();
        var package = Path.Combine(directory, "alerts");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(package, "__init__.py"), "from .rules import limit\n\ndef process_writes(influxdb3_local, table_batches, args=None):\n    influxdb3_local.info('limit', limit())\n");
        File.WriteAllText(Path.Combine(package, "rules.py"), "def limit():\n    return 10\n");

        var first = PythonFixture.LoadPackage(directory, "alerts");
        var local = new RecordingLocal();
        first.ProcessWrites(local, [], null, CancellationToken.None);

        File.WriteAllText(Path.Combine(package, "rules.py"), "def limit():\n    return 20\n");
        var second = PythonFixture.LoadPackage(directory, "alerts");
        second.ProcessWrites(local, [], null, CancellationToken.None);
        first.ProcessWrites(local, [], null, CancellationToken.None);

        local.Logs.ShouldBe(["INFO: limit 10", "INFO: limit 20", "INFO: limit 10"]);
        second.EntryPoints.ShouldBe(EntryPoints.ProcessWrites);
    }

    [Fact]
    public void Package_SyntaxErrorInASubmodule_SaysWhichFileAndLine()
    {
        var directory = PythonFixture.NewDirectory();
        var package = Path.Combine(directory, "broken_pkg");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(package, "__init__.py"), "from . import helper\n");
        File.WriteAllText(Path.Combine(package, "helper.py"), "x = 1\ndef f(:\n    pass\n");

        var error = Should.Throw<PluginLoadException>(() => PythonFixture.LoadPackage(directory, "broken_pkg"));

        error.Message.ShouldStartWith("Failed to import plugin module 'broken_pkg': broken_pkg/helper.py:2:");
        error.Message.ShouldContain("SyntaxError");
        error.Message.ShouldContain("Hint: Check for syntax errors or missing dependencies in Python files.");
    }

    [Fact]
    public void Locate_ListsEveryPythonFileButCaches()
    {
        var directory = PythonFixture.NewDirectory();
        var package = Path.Combine(directory, "p");
        Directory.CreateDirectory(Path.Combine(package, "__pycache__"));
        File.WriteAllText(Path.Combine(package, "__init__.py"), "");
        File.WriteAllText(Path.Combine(package, "a.py"), "");
        File.WriteAllText(Path.Combine(package, "__pycache__", "a.py"), "");

        var (entry, files) = PythonFixture.Runtime.Locate(package);

        entry.ShouldBe(Path.Combine(package, "__init__.py"));
        files.Select(Path.GetFileName).ShouldBe(["__init__.py", "a.py"]);
        PythonFixture.Runtime.CanRun(package).ShouldBeTrue();
        PythonFixture.Runtime.CanRun(Path.Combine(package, "a.py")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public void Package_NamedLikeAPythonModule_IsRefused_AndTheModuleStaysIntact(string name)
    {
        var directory = PythonFixture.NewDirectory();
        Directory.CreateDirectory(Path.Combine(directory, name));
        File.WriteAllText(Path.Combine(directory, name, "__init__.py"), "def process_writes(influxdb3_local, table_batches, args=None):\n    pass\n");

        var error = Should.Throw<PluginLoadException>(() => PythonFixture.LoadPackage(directory, name));

        error.Message.ShouldStartWith($"Failed to import plugin module '{name}': a Python module of that name already exists");
        PythonInterpreter.Evaluate($"__import__('{name}').__name__ + ' ' + str(hasattr(__import__('{name}'), 'process_writes'))").ShouldBe($"{name} False");
    }
}

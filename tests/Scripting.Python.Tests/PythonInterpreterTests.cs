using Scripting.Python.Discovery;

namespace Scripting.Python.Tests;

/// <summary>The embedded CPython: needs python3 (3.11+) with its shared library, as CI machines have.</summary>
[Trait("Category", "Python")]
public sealed class PythonInterpreterTests
{
    private static readonly Lazy<PythonInstallation> Installation = new(() =>
    {
        var found = PythonLocator.Find(null, out var problem) ?? throw new InvalidOperationException(problem);
        return PythonInterpreter.Start(found);
    });

    [Fact]
    public void Locator_Python3OnPath_FindsSharedLibraryAndVersion()
    {
        var installation = Installation.Value;

        File.Exists(installation.Library).ShouldBeTrue();
        installation.Library.ShouldContain("libpython3");
        installation.Version.ShouldBeGreaterThanOrEqualTo(new Version(3, 11));
    }

    [Fact]
    public void Host_EntryPointNames_AreTheEnginesList()
    {
        _ = Installation.Value;
        Bridge.PythonHost.Start();

        PythonInterpreter.Evaluate("','.join(__import__('sys').modules['_scripting_host'].ENTRY_POINTS)")
            .ShouldBe(string.Join(',', Core.Plugins.EntryPointSignatures.All.Select(e => e.Name)));
    }

    [Fact]
    public void Locator_NoSuchInterpreter_SaysWhatToInstall()
    {
        PythonLocator.Find("/nonexistent/python9", out var problem).ShouldBeNull();

        problem.ShouldNotBeNull();
        problem.ShouldContain("tried '/nonexistent/python9'");
        problem.ShouldContain("install Python 3.11 or newer");
    }

    [Fact]
    public void Evaluate_Expression_ReturnsItsString()
    {
        _ = Installation.Value;

        PythonInterpreter.Evaluate("sum(range(10))").ShouldBe("45");
        PythonInterpreter.Evaluate("__import__('json').dumps({'a': [1, 2]})").ShouldBe("{\"a\": [1, 2]}");
    }

    [Fact]
    public void Evaluate_Error_RaisesTypeAndMessage()
    {
        _ = Installation.Value;

        Should.Throw<PythonException>(() => PythonInterpreter.Evaluate("1/0")).Message.ShouldBe("ZeroDivisionError: division by zero");
        Should.Throw<PythonException>(() => PythonInterpreter.Evaluate("1 +")).Message.ShouldStartWith("SyntaxError:");
    }

    [Fact]
    public async Task Evaluate_FromManyThreads_EachTakesTheGil()
    {
        _ = Installation.Value;

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => PythonInterpreter.Evaluate($"sum(range({i}))"))));

        results.ShouldBe(Enumerable.Range(0, 16).Select(i => (i * (i - 1) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Evaluate_PythonRaises_TypeAndMessage()
    {
        _ = Installation.Value;

        Should.Throw<PythonException>(() => PythonInterpreter.Evaluate("int('bad input')"))
            .Message.ShouldBe("ValueError: invalid literal for int() with base 10: 'bad input'");
    }
}

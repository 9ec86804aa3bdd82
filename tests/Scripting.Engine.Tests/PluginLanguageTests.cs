using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Scripting.Core.Errors;
using Scripting.CSharp;
using Scripting.Engine.Logs;
using Scripting.Engine.Plugins;

namespace Scripting.Engine.Tests;

/// <summary>The engine knows a language only by what its runtime says about itself.</summary>
public sealed class PluginLanguageTests : IDisposable
{
    private readonly TempDirectory _plugins = TempDirectory.Create("languages");

    public void Dispose() => _plugins.Dispose();

    [Fact]
    public void ThirdLanguage_RegisteredRuntime_RunsItsFilesAndDirectories()
    {
        File.WriteAllText(Path.Combine(_plugins, "one.fake"), "");
        Directory.CreateDirectory(Path.Combine(_plugins, "pkg"));
        File.WriteAllText(Path.Combine(_plugins, "pkg", "plugin.fake"), "");
        var loader = Loader(new FakeRuntime(), new CSharpRuntime());

        using (var single = loader.Acquire("one.fake"))
        {
            single.Language.ShouldBe("fake");
        }

        using var directory = loader.Acquire("pkg");
        directory.Language.ShouldBe("fake");
    }

    [Fact]
    public void UnknownFile_Error_ListsEachRegisteredLanguagesConventions()
    {
        File.WriteAllText(Path.Combine(_plugins, "x.lua"), "");
        var loader = Loader(new FakeRuntime(), new CSharpRuntime());

        var error = Should.Throw<ScriptingException>(() => loader.Acquire("x.lua"));

        error.Message.ShouldBe("Plugin error: no runtime runs 'x.lua': Fake plugins end in .fake (or are a directory with plugin.fake); C# plugins end in .csx (or are a directory with plugin.csx)");
    }

    private PluginLoader Loader(params Core.Plugins.IPluginRuntime[] runtimes) =>
        new(_plugins, runtimes, new PluginLogStore(new FakeTimeProvider(), NullLogger<PluginLogStore>.Instance), NullLogger<PluginLoader>.Instance);
}

using System.Text.RegularExpressions;
using Scripting.Cli.Commands;

namespace Scripting.Cli.Tests;

/// <summary>docs/plugin-authoring.md shows exactly the templates `create plugin` writes (which CliAuthoringTests runs).</summary>
public sealed partial class PluginGuideTests
{
    [Fact]
    public void GuideExamples_AreTheTemplates()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "Scripting.sln")))
        {
            directory = directory.Parent;
        }

        var guide = File.ReadAllText(Path.Combine(directory.FullName, "docs", "plugin-authoring.md"));
        var blocks = CodeBlock().Matches(guide).Select(m => (Language: m.Groups[1].Value, Code: m.Groups[2].Value)).ToList();

        var expected = PluginTemplates.Kinds.SelectMany(kind => new[] { ("python", kind), ("csharp", kind) }).ToList();
        blocks.Count.ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (language, kind) = expected[i];
            blocks[i].Language.ShouldBe(language);
            blocks[i].Code.ShouldBe(PluginTemplates.Language(language).Template(PluginTemplates.EntryPoint(kind), $"{kind}_example").TrimEnd('\n'), $"{language} {kind}");
        }
    }

    [GeneratedRegex(@"```(python|csharp)\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}

using System.Text.Json.Nodes;

namespace Scripting.Server.Tests.Engine;

/// <summary>
/// A plugin moved between the two languages gives the same output: each sample scenario runs with the C#
/// plugin and with its Python twin (same name, same trigger arguments), and the responses and rows must be
/// equal, value for value (JSON texts compared as values: Python's json.dumps spaces its separators).
/// </summary>
[Trait("Category", "Python")]
public sealed class SampleEquivalenceTests
{
    [Fact]
    public async Task EveryScenario_SameResponsesAndRows_InCSharpAndPython()
    {
        var results = new Dictionary<string, JsonObject>();
        foreach (var language in new[] { "csharp", "python" })
        {
            var (engine, stub) = await SampleScenarios.StartAsync(language);
            await using (engine)
            await using (stub)
            {
                var scenarios = new SampleScenarios(engine, stub, language);
                results[language] = new JsonObject
                {
                    ["github_pr_req"] = await scenarios.GithubPrRequestAsync(),
                    ["github_pr_scheduled"] = await scenarios.GithubPrScheduledAsync(),
                    ["kapa_alert"] = await scenarios.KapaAlertAsync(),
                    ["downsampler"] = await scenarios.DownsamplerAsync(),
                    ["heartbeat"] = await scenarios.HeartbeatAsync(),
                };
            }
        }

        foreach (var (scenario, csharp) in results["csharp"])
        {
            var python = results["python"][scenario];
            JsonNode.DeepEquals(csharp, python).ShouldBeTrue($"{scenario}: C# gave {csharp?.ToJsonString()}, Python gave {python?.ToJsonString()}");
        }

        JsonNode.DeepEquals(results["python"]["github_pr_req"], JsonNode.Parse(SamplePluginTestsBase.GithubResult)).ShouldBeTrue();
    }
}

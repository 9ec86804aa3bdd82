using System.Text.Json.Nodes;

namespace Scripting.Server.Tests.Engine;

/// <summary>What every sample plugin must produce, in either language.</summary>
public abstract class SamplePluginTestsBase(string language) : IAsyncLifetime
{
    public const string GithubResult = """{"status":200,"response":{"status":"success","message":"Wrote 1 PR merge events to database","repository":"influxdata/docs-v2","time_period":"week","pr_count":1,"pull_requests":[{"number":1234,"title":"Fix typo","author":"jstirna","lines":25}]},"rows":[{"author":"jstirna","lines":25,"repo":"influxdata/docs-v2","ref":"master","activity_type":"pr_merge"}]}""";
    public const string KapaResult = """{"integration_status":[{"pr_count":1,"total_lines":25,"needs_update":true}],"alerts":[{"severity":"warning","message":"25 lines merged since 'Documentation' was last ingested","total_lines":25}]}""";
    public const string DownsamplerResult = """[{"room":"Den","temp":18.0,"samples":1},{"room":"Kitchen","temp":21.0,"samples":2}]""";
    public const string HeartbeatResult = """[{"beat":1,"source":"test"},{"beat":2,"source":"test"}]""";

    private EngineServer _engine = null!;
    private StubServer _stub = null!;

    private SampleScenarios Scenarios => new(_engine, _stub, language);

    public async Task InitializeAsync() => (_engine, _stub) = await SampleScenarios.StartAsync(language);

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task GithubPrRequest_AgainstStub_WritesMergesAndAnswersSummary()
    {
        var result = await Scenarios.GithubPrRequestAsync();
        JsonNode.DeepEquals(result, JsonNode.Parse(GithubResult)).ShouldBeTrue(result.ToJsonString());
    }

    [Fact]
    public async Task GithubPrScheduled_CallsTheRequestEndpointOfItsServer() =>
        (await Scenarios.GithubPrScheduledAsync()).ShouldBe("Successfully fetched 1 PR merges for influxdata/docs-v2");

    [Fact]
    public async Task KapaAlert_OnGhWrites_WritesStatusAndAlert()
    {
        var result = await Scenarios.KapaAlertAsync();
        JsonNode.DeepEquals(result, JsonNode.Parse(KapaResult)).ShouldBeTrue(result.ToJsonString());
    }

    [Fact]
    public async Task Downsampler_AveragesTheLastIntervalPerTag() =>
        (await Scenarios.DownsamplerAsync()).ToJsonString().ShouldBe(DownsamplerResult);

    [Fact]
    public async Task Heartbeat_WritesIncreasingBeats() =>
        (await Scenarios.HeartbeatAsync()).ToJsonString().ShouldBe(HeartbeatResult);
}

/// <summary>Every sample in plugins-csharp/ runs here, so the samples cannot rot.</summary>
public sealed class CSharpSamplePluginTests() : SamplePluginTestsBase("csharp");

/// <summary>Every sample in plugins-python/ runs here and must produce what its C# twin does.</summary>
[Trait("Category", "Python")]
public sealed class PythonSamplePluginTests() : SamplePluginTestsBase("python");

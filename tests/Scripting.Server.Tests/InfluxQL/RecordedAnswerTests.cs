using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scripting.Server.Tests.InfluxQL;

/// <summary>
/// v1's <c>/query</c> against the answers InfluxDB 1.6.7 gave (tests/cases/influxql/golden, recorded by
/// record.py): the same points written here, the same statement asked, the same JSON back. The statements
/// served so far are the SHOW statements and the requests that fail as a whole (parse errors); the SELECT
/// cases join as SELECT is served.
/// </summary>
public sealed class RecordedAnswerTests : IAsyncLifetime
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "cases", "influxql");
    private RunningServer _server = null!;

    public static IEnumerable<object[]> Cases() =>
        System.IO.Directory.GetFiles(Directory, "*.cases.json").SelectMany(file =>
        {
            var stem = Path.GetFileName(file).Replace(".cases.json", string.Empty, StringComparison.Ordinal);
            var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "golden", stem + ".json")))!.AsObject();
            return golden.Where(c => Served(c.Value!["q"]!.GetValue<string>(), c.Value!["status"]!.GetValue<int>()))
                .Select(c => new object[] { stem, c.Key });
        });

    private static bool Served(string query, int status) =>
        status != 200 || query.Split(';').All(s => s.TrimStart().StartsWith("SHOW", StringComparison.OrdinalIgnoreCase));

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Query_AnswersAsInfluxDb(string file, string name)
    {
        var cases = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Directory, file + ".cases.json")))!;
        var database = cases["database"]!.GetValue<string>();
        var lines = string.Join('\n', cases["data"]!.AsArray().Select(l => l!.GetValue<string>()));
        (await _server.Http.PostAsync($"/write?db={database}&precision=ns", new StringContent(lines))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Directory, "golden", file + ".json")))![name]!;
        var query = expected["q"]!.GetValue<string>();
        var epoch = cases["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!["epoch"]?.GetValue<string>();

        using var response = await _server.Http.GetAsync($"/query?db={database}&q={Uri.EscapeDataString(query)}{(epoch is null ? string.Empty : "&epoch=" + epoch)}");
        var body = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).ShouldBe(expected["status"]!.GetValue<int>(), body);
        var actual = JsonNode.Parse(body)!;
        var wanted = expected["body"]!;
        if (wanted["error"] is { } error)
        {
            actual["error"]!.GetValue<string>().ShouldBe(error.GetValue<string>());
            return;
        }

        JsonNode.DeepEquals(actual, wanted).ShouldBeTrue($"{query}\nexpected {wanted.ToJsonString()}\nanswered {actual.ToJsonString()}");
    }
}

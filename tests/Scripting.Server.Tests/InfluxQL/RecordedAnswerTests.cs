using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scripting.Server.Tests.InfluxQL;

/// <summary>
/// v1's <c>/query</c> against the answers InfluxDB 1.6.7 gave (tests/cases/influxql/golden, recorded by
/// record.py): the same points written here, the same statement asked, the same JSON back. The statements
/// that are not served yet are listed in <see cref="NotServedYet"/>: each must still be refused with its
/// reason (so a case served later leaves the list). Floats compare to 12 significant digits: a sum's last
/// bits depend on the order it adds in.
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

    /// <summary>Cases whose functions or fills are not served yet (the InfluxQL issue's next steps).</summary>
    private static readonly HashSet<string> NotServedYet = ["difference", "derivative", "percentile", "top"];

    private static bool Served(string query, int status) => true;

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

        var actual = JsonNode.Parse(body)!;
        if (NotServedYet.Contains(name))
        {
            actual["results"]![0]!["error"]!.GetValue<string>().ShouldContain("served");
            return;
        }

        ((int)response.StatusCode).ShouldBe(expected["status"]!.GetValue<int>(), body);
        var wanted = expected["body"]!;
        if (wanted["error"] is { } error)
        {
            actual["error"]!.GetValue<string>().ShouldBe(error.GetValue<string>());
            return;
        }

        Same(actual, wanted).ShouldBeTrue($"{query}\nexpected {wanted.ToJsonString()}\nanswered {actual.ToJsonString()}");
    }

    /// <summary>JSON equality with floats equal to 12 significant digits.</summary>
    private static bool Same(JsonNode? actual, JsonNode? expected) => (actual, expected) switch
    {
        (null, null) => true,
        (JsonObject a, JsonObject e) => a.Count == e.Count && e.All(p => a.ContainsKey(p.Key) && Same(a[p.Key], p.Value)),
        (JsonArray a, JsonArray e) => a.Count == e.Count && a.Zip(e).All(p => Same(p.First, p.Second)),
        (JsonValue a, JsonValue e) when a.GetValueKind() == JsonValueKind.Number && e.GetValueKind() == JsonValueKind.Number =>
            Math.Abs(a.GetValue<double>() - e.GetValue<double>()) <= 1e-12 * Math.Max(1, Math.Abs(e.GetValue<double>())),
        _ => JsonNode.DeepEquals(actual, expected),
    };
}

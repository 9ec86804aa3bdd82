using System.Text.Json;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>
/// The SQL corpus of tests/cases/sql: each file's data is written to a database named after the file, and
/// each case's query must answer, in the JSON format, exactly the rows worked out from InfluxDB 3's SQL
/// reference: the same columns in the same order, integers as integers, floats as floats, NULLs left out;
/// or, for a query InfluxDB refuses, an error status and a message containing the case's words. A case we
/// deliberately answer differently carries the reason in <c>differs</c>: it must be refused (never answered
/// otherwise) and be listed in docs/compatibility.md.
/// </summary>
public sealed class SqlCaseTests(SqlCaseTests.Server server) : IClassFixture<SqlCaseTests.Server>
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "cases", "sql");

    public static IEnumerable<object[]> Cases() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal)
            .SelectMany(file => Read(file).Cases.Select(c => new object[] { Path.GetFileNameWithoutExtension(file), c.Name }));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Query_AnswersAsInfluxDb(string file, string name)
    {
        var @case = Read(Path.Combine(Directory, file + ".json")).Cases.Single(c => c.Name == name);

        using var response = await server.Running.Http.GetAsync($"/api/v3/query_sql?db={file}&format=json&q={Uri.EscapeDataString(@case.Sql)}");
        var body = await response.Content.ReadAsStringAsync();
        if (@case.Differs is { } reason)
        {
            // A deliberate difference is refused in words, never answered otherwise, and listed with its reason.
            ((int)response.StatusCode).ShouldBe(400, $"{@case.Sql} differs ({reason}) and must be refused, not answered: {body}");
            Compatibility.ShouldContain($"`{file}: {name}`", Case.Sensitive, $"docs/compatibility.md must list the case with its reason: {reason}");
            return;
        }

        if (@case.Error is { } error)
        {
            ((int)response.StatusCode).ShouldBe(@case.Status ?? 400, body);
            using var refusal = JsonDocument.Parse(body);
            refusal.RootElement.GetProperty("error").GetString().ShouldNotBeNull().ShouldContain(error, Case.Insensitive, $"{@case.Sql}\nanswered {body}");
            return;
        }

        ((int)response.StatusCode).ShouldBe(200, body);
        using var actual = JsonDocument.Parse(body);
        Differences(@case.Rows, actual.RootElement, "rows").ShouldBeEmpty($"{@case.Sql}\nanswered {body}");
    }

    private static string Compatibility => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "compatibility.md"));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Scripting.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Scripting.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static CaseFile Read(string path) =>
        JsonSerializer.Deserialize<CaseFile>(File.ReadAllText(path), CaseJson)!;

    private static readonly JsonSerializerOptions CaseJson = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Where <paramref name="actual"/> differs from <paramref name="expected"/>; integers and floats are told apart by their text.</summary>
    private static List<string> Differences(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return [$"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}"];
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Array:
                var (e, a) = (expected.EnumerateArray().ToList(), actual.EnumerateArray().ToList());
                return e.Count != a.Count
                    ? [$"{path}: expected {e.Count} items, got {a.Count}"]
                    : [.. e.Zip(a).SelectMany((pair, i) => Differences(pair.First, pair.Second, $"{path}[{i}]"))];
            case JsonValueKind.Object:
                var (ek, ak) = (expected.EnumerateObject().Select(p => p.Name).ToList(), actual.EnumerateObject().Select(p => p.Name).ToList());
                return !ek.SequenceEqual(ak)
                    ? [$"{path}: expected columns [{string.Join(", ", ek)}], got [{string.Join(", ", ak)}]"]
                    : [.. ek.SelectMany(k => Differences(expected.GetProperty(k), actual.GetProperty(k), $"{path}.{k}"))];
            case JsonValueKind.Number:
                var (et, at) = (expected.GetRawText(), actual.GetRawText());
                var (eFloat, aFloat) = (et.IndexOfAny(['.', 'e', 'E']) >= 0, at.IndexOfAny(['.', 'e', 'E']) >= 0);
                return eFloat != aFloat || (eFloat ? expected.GetDouble() != actual.GetDouble() : et != at)
                    ? [$"{path}: expected {et}, got {at}"]
                    : [];
            default:
                return expected.GetRawText() == actual.GetRawText() ? [] : [$"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}"];
        }
    }

    public sealed record CaseFile(string About, List<string> Data, List<SqlCase> Cases);

    /// <summary>A query and either the rows it answers or, for a query InfluxDB refuses, a part of its error and the status (400 unless given).</summary>
    public sealed record SqlCase(string Name, string Sql, JsonElement Rows, string? Error, int? Status, string? Differs);

    /// <summary>One server for the corpus, with each file's data in its own database.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public RunningServer Running { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Running = await RunningServer.StartAsync();
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
            {
                var lines = string.Join('\n', Read(file).Data);
                using var written = await Running.Http.PostAsync($"/api/v3/write_lp?db={Path.GetFileNameWithoutExtension(file)}&precision=nanosecond", new StringContent(lines));
                written.EnsureSuccessStatusCode();
            }
        }

        public async Task DisposeAsync() => await Running.DisposeAsync();
    }
}

using System.Text.Json;

namespace Scripting.PluginApi.Tests;

/// <summary>The shared cases of tests/cases/line-builder.json against the C# LineBuilder.</summary>
public sealed class LineBuilderTests
{
    private static readonly Lazy<JsonElement[]> Cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cases", "line-builder.json")))
            .RootElement.GetProperty("cases").EnumerateArray().ToArray());

    public static IEnumerable<object[]> Names() => Cases.Value.Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(Names))]
    public void Build_SharedCase_MatchesPythonLineBuilder(string name)
    {
        var testCase = Cases.Value.Single(c => c.GetProperty("name").GetString() == name);

        var build = () => Run(testCase);

        if (testCase.TryGetProperty("error", out var error))
        {
            var thrown = Should.Throw<Exception>(build);
            var expectedType = error.GetProperty("type").GetString();
            (expectedType == "ValueError" ? thrown is ArgumentOutOfRangeException : thrown.GetType().Name == expectedType).ShouldBeTrue(thrown.GetType().Name);
            thrown.Message.ShouldStartWith(error.GetProperty("message").GetString()!);
        }
        else
        {
            build().ShouldBe(testCase.GetProperty("expected").GetString());
        }
    }

    private static string Run(JsonElement testCase)
    {
        var line = new LineBuilder(testCase.GetProperty("measurement").GetString()!);
        foreach (var op in testCase.GetProperty("ops").EnumerateArray())
        {
            var key = op[1].ValueKind == JsonValueKind.String ? op[1].GetString()! : string.Empty;
            _ = op[0].GetString() switch
            {
                "tag" => line.tag(key, op[2].GetString()),
                "int64_field" => line.int64_field(key, op[2].GetInt64()),
                "uint64_field" => line.uint64_field(key, op[2].GetInt64()),
                "float64_field" => line.float64_field(key, op[2].GetDouble()),
                "string_field" => line.string_field(key, op[2].GetString()),
                "bool_field" => line.bool_field(key, op[2].GetBoolean()),
                "time_ns" => line.time_ns(op[1].GetInt64()),
                var other => throw new InvalidDataException($"unknown op {other}"),
            };
        }

        return line.build();
    }

    [Fact]
    public void Build_PascalCaseAndSnakeCase_ProduceTheSameLine() =>
        new LineBuilder("m").Tag("t", "v").Float64Field("f", 1.5).TimeNs(1).Build()
            .ShouldBe(new LineBuilder("m").tag("t", "v").float64_field("f", 1.5).time_ns(1).build());
}

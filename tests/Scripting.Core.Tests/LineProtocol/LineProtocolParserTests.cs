using System.Text.Json;
using Scripting.Core.LineProtocol;

namespace Scripting.Core.Tests.LineProtocol;

public sealed class LineProtocolParserTests
{
    [Theory]
    [MemberData(nameof(LineProtocolCases.Names), MemberType = typeof(LineProtocolCases))]
    public void Parse_SharedCase_MatchesExpectedPointsAndErrors(string name)
    {
        var testCase = LineProtocolCases.Get(name);
        var batch = new LineProtocolParser().Parse(LineProtocolCases.Input(testCase), LineProtocolCases.PrecisionOf(testCase), LineProtocolCases.DefaultTime);

        var expectedPoints = testCase.TryGetProperty("points", out var points) ? points.EnumerateArray().ToList() : [];
        batch.Points.Count.ShouldBe(expectedPoints.Count, $"points of '{name}'; errors: {string.Join(" | ", batch.Errors.Select(e => e.Message))}");
        for (var i = 0; i < expectedPoints.Count; i++)
        {
            AssertPoint(batch, batch.Points[i], expectedPoints[i]);
        }

        var expectedErrors = testCase.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().ToList() : [];
        batch.Errors.Count.ShouldBe(expectedErrors.Count, $"errors of '{name}': {string.Join(" | ", batch.Errors.Select(e => e.Message))}");
        for (var i = 0; i < expectedErrors.Count; i++)
        {
            batch.Errors[i].LineNumber.ShouldBe(expectedErrors[i].GetProperty("line").GetInt32());
            batch.Errors[i].Message.ShouldContain(expectedErrors[i].GetProperty("contains").GetString()!);
        }
    }

    private static void AssertPoint(LineProtocolBatch batch, Point point, JsonElement expected)
    {
        point.Measurement.ShouldBe(expected.GetProperty("measurement").GetString());
        var tags = batch.TagsOf(point).ToArray().ToDictionary(t => t.Key, t => t.Value);
        var expectedTags = expected.TryGetProperty("tags", out var t)
            ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];
        tags.ShouldBe(expectedTags);

        var fields = batch.FieldsOf(point).ToArray();
        var expectedFields = expected.GetProperty("fields").EnumerateObject().ToList();
        fields.Select(f => f.Key).ShouldBe(expectedFields.Select(f => f.Name));
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].Value.ShouldBe(LineProtocolCases.Field(expectedFields[i].Value), $"field {fields[i].Key}");
        }

        var time = expected.GetProperty("time");
        point.TimeNanoseconds.ShouldBe(time.ValueKind == JsonValueKind.String ? LineProtocolCases.DefaultTime : time.GetInt64());
    }

    [Fact]
    public void Parse_SeedHomeData_TwelvePointsWithSecondsTimestamps()
    {
        var body = string.Join('\n', Enumerable.Range(0, 12).Select(i => $"home,room={(i % 2 == 0 ? "Living\\ Room" : "Kitchen")} temp=21.{i},hum=35.9,co={i / 11}i {1742198400 + (i / 2 * 3600)}"));

        var batch = new LineProtocolParser().Parse(body, Precision.Auto, 0);

        batch.Errors.ShouldBeEmpty();
        batch.Points.Count.ShouldBe(12);
        batch.Points[^1].TimeNanoseconds.ShouldBe(1742216400L * 1_000_000_000);
    }

    [Fact]
    public void Parse_BadLine_OriginalLineQuotesTheLine()
    {
        var batch = new LineProtocolParser().Parse("m f=1\nweather,city=Paris temp=hot", Precision.Auto, 0);

        batch.Errors.ShouldHaveSingleItem().OriginalLine.ShouldBe("weather,city=Paris temp=hot");
    }

    [Fact]
    public void Parse_CachedNames_ReturnSameStringInstances()
    {
        var batch = new LineProtocolParser().Parse("home,room=a t=1\nhome,room=a t=2", Precision.Auto, 0);

        ReferenceEquals(batch.Points[0].Measurement, batch.Points[1].Measurement).ShouldBeTrue();
    }
}

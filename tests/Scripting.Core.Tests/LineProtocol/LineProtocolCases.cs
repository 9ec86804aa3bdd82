using System.Text.Json;
using Scripting.Core.LineProtocol;

namespace Scripting.Core.Tests.LineProtocol;

/// <summary>The shared cases of tests/cases/line-protocol.json.</summary>
public static class LineProtocolCases
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cases", "line-protocol.json"))));

    public static long DefaultTime => Document.Value.RootElement.GetProperty("default_time").GetInt64();

    public static IEnumerable<object[]> Names() =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Get(string name) =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static string Input(JsonElement testCase) =>
        testCase.GetProperty("input").GetString()!.Replace("@@BIG@@", new string('x', 70_000), StringComparison.Ordinal);

    public static Precision PrecisionOf(JsonElement testCase)
    {
        var name = testCase.TryGetProperty("precision", out var p) ? p.GetString() : "auto";
        PrecisionNames.TryParse(name, allowAuto: true, out var precision).ShouldBeTrue();
        return precision;
    }

    public static FieldValue Field(JsonElement spec)
    {
        var kind = spec[0].GetString();
        var text = spec[1].GetString()!;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return kind switch
        {
            "float" => FieldValue.Float(double.Parse(text, invariant)),
            "integer" => FieldValue.Integer(long.Parse(text, invariant)),
            "uinteger" => FieldValue.UInteger(ulong.Parse(text, invariant)),
            "string" => FieldValue.String(text),
            "boolean" => FieldValue.Boolean(bool.Parse(text)),
            _ => throw new InvalidDataException($"unknown field kind {kind}"),
        };
    }
}

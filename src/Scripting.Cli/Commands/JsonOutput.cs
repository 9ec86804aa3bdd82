using System.Text.Encodings.Web;
using System.Text.Json;
using Scripting.Contracts;

namespace Scripting.Cli.Commands;

/// <summary>The API's records printed as JSON, with the names the server uses: compact for scripts, indented for people.</summary>
internal static class JsonOutput
{
    public static readonly ApiJsonContext Compact = Create(indented: false);
    public static readonly ApiJsonContext Indented = Create(indented: true);

    /// <summary>An instant as the API writes it (RFC 3339 with its offset, fraction without trailing zeros).</summary>
    public static string Instant(DateTimeOffset instant) =>
        instant.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);

    private static ApiJsonContext Create(bool indented) => new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    });
}

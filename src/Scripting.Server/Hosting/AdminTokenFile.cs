using System.Text.Json;
using Scripting.Core.Security;

namespace Scripting.Server.Hosting;

/// <summary><c>--admin-token-file</c>: a token the operator chose, loaded at start.</summary>
internal static class AdminTokenFile
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Contents(string? Token, string? Name, long? ExpiryMillis);

    public static void Load(string path, TokenStore tokens)
    {
        Contents contents;
        try
        {
            contents = JsonSerializer.Deserialize<Contents>(File.ReadAllText(path), Json)
                ?? throw new ArgumentException($"admin token file '{path}' is empty");
        }
        catch (Exception error) when (error is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read admin token file '{path}': {error.Message}", error);
        }

        if (string.IsNullOrEmpty(contents.Token))
        {
            throw new ArgumentException($"admin token file '{path}' has no \"token\"");
        }

        tokens.Preload(contents.Name ?? TokenStore.OperatorName, contents.Token, contents.ExpiryMillis is { } millis ? DateTimeOffset.FromUnixTimeMilliseconds(millis) : null);
    }
}

using System.Text.Json;
using Scripting.Core.Security;

namespace Scripting.Storage.Catalog;

/// <summary>
/// Tokens as <c>tokens.json</c> in the data dir (hashes only, never secrets), replaced atomically
/// (<see cref="JsonFile"/>) and readable by the server's user only.
/// </summary>
internal sealed class JsonTokenPersistence(string dataDirectory) : ITokenPersistence
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _path = Path.Combine(dataDirectory, "tokens.json");

    public IReadOnlyList<TokenRecord> Load() =>
        File.Exists(_path) ? JsonSerializer.Deserialize<List<TokenRecord>>(JsonFile.Read(_path), Json) ?? [] : [];

    public void Save(IReadOnlyList<TokenRecord> tokens) => JsonFile.Replace(_path, tokens, Json);
}

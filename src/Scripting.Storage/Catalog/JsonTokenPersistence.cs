using System.Text.Json;
using Scripting.Core.Security;

namespace Scripting.Storage.Catalog;

/// <summary>
/// Tokens as <c>tokens.json</c> in the data dir (hashes only, never secrets), written to a temporary
/// file, flushed and renamed over the old one, readable by the server's user only.
/// </summary>
public sealed class JsonTokenPersistence(string dataDirectory) : ITokenPersistence
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _path = Path.Combine(dataDirectory, "tokens.json");

    public IReadOnlyList<TokenRecord> Load() =>
        File.Exists(_path) ? JsonSerializer.Deserialize<List<TokenRecord>>(File.ReadAllBytes(_path), Json) ?? [] : [];

    public void Save(IReadOnlyList<TokenRecord> tokens)
    {
        Directory.CreateDirectory(dataDirectory);
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, tokens, Json);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, _path, overwrite: true);
    }
}

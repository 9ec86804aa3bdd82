using System.Security.Cryptography;
using System.Text.Json;
using Scripting.Core.Errors;
using Scripting.Core.Security;

namespace Scripting.Storage.Catalog;

/// <summary>
/// Secrets as <c>secrets.json</c> in the data dir, sealed (<see cref="SecretStore"/>), replaced atomically
/// and readable by the server's user only (<see cref="JsonFile"/>).
/// </summary>
internal sealed class JsonSecretPersistence(string dataDirectory) : ISecretPersistence
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _path = Path.Combine(dataDirectory, "secrets.json");

    public IReadOnlyList<SecretRecord> Load() =>
        File.Exists(_path) ? JsonSerializer.Deserialize<List<SecretRecord>>(JsonFile.Read(_path), Json) ?? [] : [];

    public void Save(IReadOnlyList<SecretRecord> secrets) => JsonFile.Replace(_path, secrets, Json);
}

/// <summary>
/// The key secrets are sealed with: 32 random bytes, base64, in a file of its own outside the data dir
/// (by default <c>~/.config/scripting/secrets.key</c>, or <c>--secrets-key-file</c>), created 0600 when the
/// first secret is created. A backup of the data dir alone does not open the secrets.
/// </summary>
internal sealed class SecretKeyFile(string path) : ISecretKey
{
    private byte[]? _key;

    public static string DefaultPath => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
        "scripting",
        "secrets.key");

    public string Location => path;

    public byte[] Read(bool create)
    {
        if (_key is { } known)
        {
            return known;
        }

        if (!File.Exists(path))
        {
            if (!create)
            {
                throw new ScriptingException(ErrorKind.Internal, $"the secrets key file {path} is missing, so no secret can be read: restore it, or point --secrets-key-file at it");
            }

            Create();
        }

        try
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length == 32 ? _key = key : throw new FormatException("not 32 bytes");
        }
        catch (FormatException)
        {
            throw new ScriptingException(ErrorKind.Internal, $"the secrets key file {path} does not hold a key (32 bytes in base64)");
        }
    }

    private void Create()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another server created it first: use that one.
        }
    }
}

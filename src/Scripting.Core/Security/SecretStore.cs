using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;

namespace Scripting.Core.Security;

/// <summary>A secret as stored: its value sealed with AES-GCM under the key <see cref="KeyId"/> names.</summary>
public sealed record SecretRecord(string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string KeyId, string Nonce, string Sealed);

/// <summary>Where secrets are kept between runs, sealed.</summary>
public interface ISecretPersistence
{
    IReadOnlyList<SecretRecord> Load();

    void Save(IReadOnlyList<SecretRecord> secrets);
}

/// <summary>The key secrets are sealed with, kept apart from the data; read (or created) when first needed.</summary>
public interface ISecretKey
{
    /// <summary>Where the key is, for messages.</summary>
    string Location { get; }

    /// <summary>The 32-byte key; <paramref name="create"/> makes one when there is none yet.</summary>
    /// <exception cref="ScriptingException">There is no key (and none may be created), or it cannot be read; the message says what to do.</exception>
    byte[] Read(bool create);
}

/// <summary>Secrets of a server that keeps nothing between runs: an in-memory list and a key made at start.</summary>
public sealed class MemorySecretPersistence : ISecretPersistence, ISecretKey
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private IReadOnlyList<SecretRecord> _secrets = [];

    public string Location => "memory";

    public byte[] Read(bool create) => _key;

    public IReadOnlyList<SecretRecord> Load() => _secrets;

    public void Save(IReadOnlyList<SecretRecord> secrets) => _secrets = secrets;
}

/// <summary>
/// Secrets for trigger arguments. A trigger argument refers to one as <c>${secret:NAME}</c> (alone or
/// inside a longer value); the catalog, system tables, listings and logs keep the reference, and the plugin
/// gets the value in <c>args</c> when it runs. Values are sealed at rest with AES-GCM (a random nonce per
/// secret, the name as associated data) under a key kept outside the data dir; every secret records the
/// id of its key, so a wrong or lost key is reported as such, never read as garbage. The store never
/// puts a value in a message. Last use times are kept in memory and saved at most once a minute.
/// </summary>
public sealed partial class SecretStore
{
    private static readonly TimeSpan SaveUseEvery = TimeSpan.FromMinutes(1);
    private readonly ISecretPersistence _persistence;
    private readonly ISecretKey _key;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private List<SecretRecord> _secrets;
    private DateTimeOffset _usesSaved;

    public SecretStore(ISecretPersistence persistence, ISecretKey key, TimeProvider time)
    {
        _persistence = persistence;
        _key = key;
        _time = time;
        _secrets = [.. persistence.Load()];
        _usesSaved = time.GetUtcNow();
    }

    public IReadOnlyList<SecretRecord> Secrets
    {
        get
        {
            lock (_lock)
            {
                return [.. _secrets.OrderBy(s => s.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <exception cref="ScriptingException">The name is invalid (400) or taken (409).</exception>
    public SecretRecord Create(string name, string value)
    {
        if (!Names.IsValidObjectName(name) || name.Contains('}', StringComparison.Ordinal))
        {
            throw new ScriptingException(ErrorKind.BadRequest, "invalid secret name: at most 255 characters, no control characters, '/' or '}'");
        }

        var key = _key.Read(create: true);
        lock (_lock)
        {
            if (_secrets.Any(s => s.Name == name))
            {
                throw new ScriptingException(ErrorKind.Conflict, $"secret '{name}' already exists; delete it first to replace its value");
            }

            var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
            var plain = Encoding.UTF8.GetBytes(value);
            var sealedValue = new byte[plain.Length + AesGcm.TagByteSizes.MaxSize];
            using (var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize))
            {
                aes.Encrypt(nonce, plain, sealedValue.AsSpan(0, plain.Length), sealedValue.AsSpan(plain.Length), Encoding.UTF8.GetBytes(name));
            }

            var record = new SecretRecord(name, _time.GetUtcNow(), null, KeyId(key), Convert.ToBase64String(nonce), Convert.ToBase64String(sealedValue));
            _secrets.Add(record);
            _persistence.Save(_secrets);
            return record;
        }
    }

    /// <exception cref="ScriptingException">There is no such secret (404).</exception>
    public void Delete(string name)
    {
        lock (_lock)
        {
            if (_secrets.RemoveAll(s => s.Name == name) == 0)
            {
                throw new ScriptingException(ErrorKind.NotFound, $"secret '{name}' not found");
            }

            _persistence.Save(_secrets);
        }
    }

    /// <summary>The secret names <paramref name="text"/> refers to.</summary>
    public static IEnumerable<string> References(string text) => Reference().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>Names <paramref name="arguments"/> refer to that are not secrets here.</summary>
    public IEnumerable<string> Missing(IReadOnlyDictionary<string, string>? arguments)
    {
        lock (_lock)
        {
            return (arguments?.Values ?? []).SelectMany(References).Where(n => _secrets.All(s => s.Name != n)).Distinct().ToList();
        }
    }

    /// <summary>
    /// <paramref name="arguments"/> with every <c>${secret:NAME}</c> replaced by the secret's value, for the
    /// plugin only; the same dictionary when none refers to a secret.
    /// </summary>
    /// <exception cref="ScriptingException">A referenced secret does not exist, or its key is wrong or lost.</exception>
    public IReadOnlyDictionary<string, string>? Resolve(IReadOnlyDictionary<string, string>? arguments)
    {
        if (arguments is null || !arguments.Values.Any(v => v.Contains("${secret:", StringComparison.Ordinal)))
        {
            return arguments;
        }

        var resolved = new Dictionary<string, string>(arguments.Count, StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            resolved[name] = Reference().Replace(value, match => Reveal(match.Groups[1].Value, name));
        }

        return resolved;
    }

    private string Reveal(string secret, string argument)
    {
        SecretRecord record;
        lock (_lock)
        {
            var index = _secrets.FindIndex(s => s.Name == secret);
            if (index < 0)
            {
                throw new ScriptingException(ErrorKind.BadRequest, $"trigger argument '{argument}' refers to secret '{secret}', which does not exist; create it with `scripting create secret {secret}`");
            }

            record = _secrets[index];
            _secrets[index] = record with { LastUsedAt = _time.GetUtcNow() };
            if (_time.GetUtcNow() - _usesSaved >= SaveUseEvery)
            {
                _usesSaved = _time.GetUtcNow();
                _persistence.Save(_secrets);
            }
        }

        var key = _key.Read(create: false);
        if (KeyId(key) != record.KeyId)
        {
            throw new ScriptingException(ErrorKind.Internal, $"secret '{secret}' was sealed with key {record.KeyId}, but the key at {_key.Location} is key {KeyId(key)}: restore the key file the secrets were created with, or point --secrets-key-file at it");
        }

        var sealedValue = Convert.FromBase64String(record.Sealed);
        var plain = new byte[sealedValue.Length - AesGcm.TagByteSizes.MaxSize];
        try
        {
            using var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
            aes.Decrypt(Convert.FromBase64String(record.Nonce), sealedValue.AsSpan(0, plain.Length), sealedValue.AsSpan(plain.Length), plain, Encoding.UTF8.GetBytes(secret));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ScriptingException(ErrorKind.Internal, $"secret '{secret}' does not open with the key at {_key.Location}: the secrets file was altered, or the key replaced");
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The first 8 bytes of the key's SHA-256, in hex: names a key without revealing it.</summary>
    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));

    [GeneratedRegex(@"\$\{secret:([^}]+)\}")]
    private static partial Regex Reference();
}

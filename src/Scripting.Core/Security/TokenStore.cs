using System.Security.Cryptography;
using System.Text;
using Scripting.Core.Errors;

namespace Scripting.Core.Security;

/// <summary>A token as stored: never the secret, only its SHA-512.</summary>
public sealed record TokenRecord(int Id, string Name, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? Expiry);

/// <summary>A token just created: the secret, shown once.</summary>
public sealed record NewToken(int Id, string Name, string Token, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? Expiry);

/// <summary>Where tokens are kept between runs.</summary>
public interface ITokenPersistence
{
    IReadOnlyList<TokenRecord> Load();

    void Save(IReadOnlyList<TokenRecord> tokens);
}

/// <summary>Tokens of a server that keeps none between runs (in-memory store).</summary>
public sealed class MemoryTokenPersistence : ITokenPersistence
{
    private IReadOnlyList<TokenRecord> _tokens = [];

    public IReadOnlyList<TokenRecord> Load() => _tokens;

    public void Save(IReadOnlyList<TokenRecord> tokens) => _tokens = tokens;
}

/// <summary>
/// The server's tokens, as InfluxDB 3 Core has them: the operator token <c>_admin</c>
/// and named admin tokens, every one with full rights. A token is <c>apiv3_</c> and 64 random bytes in
/// URL-safe base64; only its SHA-512 is kept, so a token is shown once, when it is created.
/// </summary>
public sealed class TokenStore
{
    public const string OperatorName = "_admin";
    private readonly ITokenPersistence _persistence;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<string, TokenRecord> _byHash;

    public TokenStore(ITokenPersistence persistence, TimeProvider time)
    {
        _persistence = persistence;
        _time = time;
        _byHash = persistence.Load().ToDictionary(t => t.Hash, StringComparer.Ordinal);
    }

    public IReadOnlyList<TokenRecord> Tokens
    {
        get
        {
            lock (_gate)
            {
                return [.. _byHash.Values.OrderBy(t => t.Id)];
            }
        }
    }

    /// <summary>The token a request presented, if it exists and has not expired.</summary>
    public TokenRecord? Authenticate(string token)
    {
        var hash = Hash(token);
        lock (_gate)
        {
            return _byHash.TryGetValue(hash, out var record) && (record.Expiry is null || record.Expiry > _time.GetUtcNow()) ? record : null;
        }
    }

    /// <summary>
    /// Registers a token whose secret the operator chose (<c>--admin-token-file</c>): it replaces a token of
    /// the same name, so the file stays the source of truth across restarts.
    /// </summary>
    public void Preload(string name, string token, DateTimeOffset? expiry)
    {
        if (!token.StartsWith("apiv3_", StringComparison.Ordinal) || token.Length < 26)
        {
            throw new ScriptingException(ErrorKind.BadRequest, "the admin token file's token must start with apiv3_ and carry at least 20 more characters");
        }

        lock (_gate)
        {
            var next = new Dictionary<string, TokenRecord>(_byHash, StringComparer.Ordinal);
            var existing = next.Values.FirstOrDefault(t => t.Name == name);
            if (existing is not null)
            {
                next.Remove(existing.Hash);
            }

            var id = existing?.Id ?? (name == OperatorName ? 0 : next.Values.Select(t => t.Id).DefaultIfEmpty(0).Max() + 1);
            var record = new TokenRecord(id, name, Hash(token), _time.GetUtcNow(), expiry);
            next[record.Hash] = record;
            Commit(next);
        }
    }

    /// <summary>Creates the operator token; 409 when it exists (regenerate it instead).</summary>
    public NewToken CreateOperator() => Create(OperatorName, null, replace: false);

    /// <summary>A new secret for the operator token; the old one stops working.</summary>
    public NewToken RegenerateOperator() => Create(OperatorName, null, replace: true);

    /// <summary>Creates a named admin token; 409 when the name is taken.</summary>
    public NewToken CreateNamed(string name, TimeSpan? lifetime)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('_'))
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"invalid token name '{name}': it must not be empty or start with '_' (reserved for the operator token)");
        }

        return Create(name, lifetime, replace: false);
    }

    /// <summary>Deletes a named token; the operator token cannot be deleted (regenerate it).</summary>
    public void Delete(string name)
    {
        if (name == OperatorName)
        {
            throw new ScriptingException(ErrorKind.MethodNotAllowed, "cannot delete operator token");
        }

        lock (_gate)
        {
            var record = _byHash.Values.FirstOrDefault(t => t.Name == name) ?? throw new ScriptingException(ErrorKind.NotFound, $"token not found: {name}");
            var next = new Dictionary<string, TokenRecord>(_byHash, StringComparer.Ordinal);
            next.Remove(record.Hash);
            Commit(next);
        }
    }

    private NewToken Create(string name, TimeSpan? lifetime, bool replace)
    {
        var secret = "apiv3_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = Hash(secret);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var existing = _byHash.Values.FirstOrDefault(t => t.Name == name);
            if (existing is not null && !replace)
            {
                throw new ScriptingException(ErrorKind.Conflict, $"token name already exists, {name}");
            }

            if (existing is null && replace)
            {
                throw new ScriptingException(ErrorKind.NotFound, $"token not found: {name}; create it first");
            }

            var next = new Dictionary<string, TokenRecord>(_byHash, StringComparer.Ordinal);
            if (existing is not null)
            {
                next.Remove(existing.Hash);
            }

            var id = existing?.Id ?? (name == OperatorName ? 0 : Math.Max(0, _byHash.Values.Select(t => t.Id).DefaultIfEmpty(0).Max()) + 1);
            var record = new TokenRecord(id, name, hash, now, lifetime is { } span ? now + span : null);
            next[hash] = record;
            Commit(next);
            return new NewToken(record.Id, record.Name, secret, record.Hash, record.CreatedAt, record.Expiry);
        }
    }

    private void Commit(Dictionary<string, TokenRecord> next)
    {
        _persistence.Save([.. next.Values.OrderBy(t => t.Id)]);
        _byHash = next;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(token)));
}

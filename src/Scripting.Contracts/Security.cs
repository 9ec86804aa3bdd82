namespace Scripting.Contracts;

/// <summary><c>POST /api/v3/configure/token/named_admin</c>.</summary>
public sealed record NamedTokenRequest(string? TokenName, long? ExpirySecs = null);

/// <summary>A token as listed by <c>GET /api/v3/configure/token</c>: never its secret.</summary>
public sealed record TokenInfo(int Id, string Name, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? Expiry);

/// <summary>A token just created: the only answer that carries its secret.</summary>
public sealed record CreatedToken(int Id, string Name, string Token, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? Expiry);

/// <summary><c>POST /api/v3/configure/secret</c>: the value goes in, never out.</summary>
public sealed record CreateSecretRequest(string? Name, string? Value);

/// <summary>A secret just created.</summary>
public sealed record CreatedSecret(string Name, DateTimeOffset CreatedAt);

/// <summary>A secret as listed by <c>GET /api/v3/configure/secret</c>: never its value.</summary>
/// <param name="UsedBy">The triggers (database/name) whose arguments refer to it.</param>
public sealed record SecretInfo(string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, IReadOnlyList<string> UsedBy);

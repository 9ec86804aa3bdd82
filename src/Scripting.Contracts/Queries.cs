using System.Text.Json;

namespace Scripting.Contracts;

/// <summary>
/// <c>POST /api/v3/query_sql</c> (and the same names as query parameters of <c>GET</c>).
/// <paramref name="Params"/> is an object of parameter names (with or without <c>$</c>) to null, booleans, numbers or strings.
/// </summary>
public sealed record QueryRequest(string? Db, string? Q, string? Format, JsonElement? Params = null, string? Timeout = null);

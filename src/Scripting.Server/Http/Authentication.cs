using System.Text;
using Microsoft.AspNetCore.Http;
using Scripting.Contracts;
using Scripting.Core.Security;
using Scripting.Server.Hosting;

namespace Scripting.Server.Http;

/// <summary>
/// Token authentication as InfluxDB 3 Core does it: on unless the server runs
/// <c>--without-auth</c>; every path needs a token except creating the first operator token and the
/// endpoints named by <c>--disable-authz</c>. A token comes as <c>Authorization: Bearer|Token &lt;token&gt;</c>,
/// as the password of Basic auth, or, on the v1 <c>/write</c> and <c>/query</c> paths, as the <c>p</c>
/// query parameter. Any valid token has full rights.
/// </summary>
internal static class Authentication
{
    public const string Malformed = "Authorization header was malformed, the request was not in the form of 'Authorization: <auth-scheme> <token>', supported auth-schemes are Bearer, Token and Basic";

    private static readonly Dictionary<string, string[]> OpenablePaths = new(StringComparer.Ordinal)
    {
        ["health"] = [ApiRoutes.Health, ApiRoutes.HealthV1],
        ["ping"] = [ApiRoutes.Ping],
        ["metrics"] = ["/metrics"],
    };

    public static async Task HandleAsync(HttpContext context, RequestDelegate next, ServerOptions options, TokenStore tokens)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (options.WithoutAuth || IsOpen(path, context.Request.Method, options) || TokenRecovery.IsRecoveryConnection(context))
        {
            await next(context);
            return;
        }

        var (token, malformed) = Presented(context.Request, path);
        if (malformed)
        {
            await ErrorResponses.Error(StatusCodes.Status400BadRequest, Malformed).ExecuteAsync(context);
            return;
        }

        if (token is null || tokens.Authenticate(token) is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\": \"the request was not authenticated\"}");
            return;
        }

        await next(context);
    }

    private static bool IsOpen(string path, string method, ServerOptions options) =>
        (HttpMethods.IsPost(method) && string.Equals(path.TrimEnd('/'), ApiRoutes.TokenAdmin, StringComparison.Ordinal))
        || options.OpenEndpoints.Any(name => OpenablePaths.TryGetValue(name, out var paths) && paths.Contains(path, StringComparer.Ordinal));

    private static (string? Token, bool Malformed) Presented(HttpRequest request, string path)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                return (null, true);
            }

            switch (parts[0].ToLowerInvariant())
            {
                case "bearer" or "token":
                    return (parts[1], false);
                case "basic":
                    try
                    {
                        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
                        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                        return (colon < 0 ? decoded : decoded[(colon + 1)..], false);
                    }
                    catch (FormatException)
                    {
                        return (null, true);
                    }

                default:
                    return (null, true);
            }
        }

        return path is ApiRoutes.WriteV1 or ApiRoutes.QueryV1 && request.Query.TryGetValue("p", out var password) ? (password.ToString(), false) : (null, false);
    }
}

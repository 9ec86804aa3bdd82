using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Scripting.Contracts;

namespace Scripting.Server.Http;

/// <summary>
/// The admin-token recovery address (<c>--admin-token-recovery-http-bind</c>): connections
/// accepted there may only regenerate the operator token, and need no token to do it. Everything else
/// on that address is answered 404, so the address cannot be used to reach the rest of the API.
/// </summary>
internal static class TokenRecovery
{
    /// <summary>Set on connections accepted on the recovery address.</summary>
    public const string ConnectionMark = "scripting.token-recovery";

    public static bool IsRecoveryConnection(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionMark) == true;

    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        if (!IsRecoveryConnection(context))
        {
            await next(context);
            return;
        }

        var path = (context.Request.Path.Value ?? string.Empty).TrimEnd('/');
        if (HttpMethods.IsPost(context.Request.Method) && string.Equals(path, ApiRoutes.TokenAdminRegenerate, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        await ErrorResponses.Error(
            StatusCodes.Status404NotFound,
            $"not found: {context.Request.Method} {context.Request.Path}; the admin token recovery address serves only POST {ApiRoutes.TokenAdminRegenerate}").ExecuteAsync(context);
    }
}

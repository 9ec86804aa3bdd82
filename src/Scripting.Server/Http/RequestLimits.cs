using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Scripting.Core.Errors;
using Scripting.Contracts;
using Scripting.Server.Hosting;

namespace Scripting.Server.Http;

/// <summary>
/// <c>--max-http-request-size</c> for every endpoint, as upstream applies it to every body it reads:
/// a declared length past the limit is refused before anything is read, and a body that grows past it
/// (chunked) is cut off by Kestrel as it arrives, so no endpoint buffers more than the limit. Plugin
/// directories (<c>PUT /api/v3/plugins/directory</c>) carry many files and have a limit of their own,
/// <c>--max-plugin-directory-size</c>.
/// </summary>
internal static class RequestLimits
{
    public static async Task HandleAsync(HttpContext context, RequestDelegate next, ServerOptions options)
    {
        var limit = LimitOf(context.Request, options);
        if (context.Request.ContentLength > limit)
        {
            throw new ScriptingException(ErrorKind.TooLarge, Exceeded(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);

        // Endpoints that bind their body as JSON answer a cut-off body with a bare 413.
        if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await ErrorResponses.Error(StatusCodes.Status413PayloadTooLarge, Exceeded(limit)).ExecuteAsync(context);
        }
    }

    public static string Exceeded(long limit) => $"max request size ({limit} bytes) exceeded";

    private static long LimitOf(HttpRequest request, ServerOptions options) =>
        request.Path.Equals(ApiRoutes.PluginDirectory, StringComparison.Ordinal) ? options.MaxPluginDirectoryBytes : options.MaxRequestBytes;
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Contracts;
using Scripting.Core.Plugins;
using Scripting.Engine;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

/// <summary>Request plugins: <c>GET|POST /api/v3/engine/PATH</c>.</summary>
internal static class EngineEndpoints
{
    public static void MapEngineEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(ApiRoutes.EnginePrefix + "/{**path}", ["GET", "POST"], async (HttpContext context, string? path, ProcessingEngine engine, ServerOptions options) =>
        {
            var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted);
            var query = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in context.Request.Query)
            {
                query[key] = value.Count > 0 ? value[^1] ?? string.Empty : string.Empty;
            }

            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in context.Request.Headers)
            {
                if (!string.Equals(key, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    headers[key.ToLowerInvariant()] = value.Count > 0 ? value[^1] ?? string.Empty : string.Empty;
                }
            }

            var response = await engine.HandleRequestAsync(path ?? string.Empty, new RequestInput(query, headers, body));
            if (response is null)
            {
                return ErrorResponses.Error(StatusCodes.Status404NotFound, $"not found: no enabled request trigger serves '{path}'");
            }

            return new PluginResult(response);
        });
    }

    private sealed class PluginResult(Engine.Requests.PluginHttpResponse response) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.Body.WriteAsync(response.Body);
        }
    }
}

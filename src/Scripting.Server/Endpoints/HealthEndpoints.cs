using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Contracts;
using Scripting.Core.Queries;

namespace Scripting.Server.Endpoints;

internal static class HealthEndpoints
{
    public static readonly string Version = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
    private static readonly string ProcessId = Guid.CreateVersion7().ToString();

    /// <summary>OK while every open database can be read and written; 503 with the reason otherwise.</summary>
    private static IResult Health(ISqlEngine store) => store.Fault is { } fault
        ? Results.Text(fault, "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable)
        : Results.Text("OK", "text/plain; charset=utf-8");

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Health, Health);
        app.MapGet(ApiRoutes.HealthV1, Health);
        app.MapMethods(ApiRoutes.Ping, ["GET", "POST"], (HttpContext context) =>
        {
            context.Response.Headers["X-Influxdb-Build"] = "Scripting";
            context.Response.Headers["X-Influxdb-Version"] = Version;
            return Results.Json(new HealthResponse("Scripting", Version, "", ProcessId));
        });
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scripting.Flight.Sql;

namespace Scripting.Flight;

/// <summary>Registers the Arrow Flight service that InfluxDB 3's clients query (gRPC, on the HTTP port).</summary>
public static class FlightRegistration
{
    public static IServiceCollection AddFlightQueries(this IServiceCollection services, FlightSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<PreparedStatements>();
        services.AddGrpc(grpc => grpc.EnableDetailedErrors = false).AddFlightServer<QueryFlightServer>();
        return services;
    }

    public static void MapFlightQueries(this IEndpointRouteBuilder app) => app.MapFlightEndpoint();

    /// <summary>True for a gRPC call (content type <c>application/grpc</c>), which the Flight service answers, not the HTTP API.</summary>
    public static bool IsGrpc(HttpContext context) =>
        context.Request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}

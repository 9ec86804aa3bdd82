using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scripting.Core.Queries;
using Scripting.Query.Limits;

namespace Scripting.Query;

public static class QueryRegistration
{
    /// <summary>The query layer: every query, from HTTP or from a plugin (<see cref="IQueryExecutor"/>), goes through it and its limits.</summary>
    public static IServiceCollection AddQueryLayer(this IServiceCollection services, QueryLimits limits)
    {
        services.TryAddSingleton<SystemTables>();
        services.AddSingleton(limits);
        services.AddSingleton<QueryLayer>();
        services.AddSingleton<IQueryExecutor>(provider => provider.GetRequiredService<QueryLayer>());
        return services;
    }
}

using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Http;
using Scripting.Core.Queries;
using Scripting.Server.Formatting;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

public sealed record QueryRequest(string? Db, string? Q, string? Format, JsonElement? Params);

internal sealed class QueryRequestValidator : AbstractValidator<QueryRequest>
{
    public QueryRequestValidator()
    {
        RuleFor(r => r.Db).NotEmpty().WithMessage("missing field 'db': the database to query");
        RuleFor(r => r.Q).NotEmpty().WithMessage("missing field 'q': the SQL query");
        RuleFor(r => r.Params).Must(p => p is null || p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
            .WithMessage("'params' must be a JSON object of parameter names to values");
    }
}

/// <summary>SQL queries: <c>GET|POST /api/v3/query_sql</c>.</summary>
internal static class QueryEndpoints
{
    public static void MapQueryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.QuerySql, (HttpContext context, SchemaCatalog catalog, IQueryExecutor executor) =>
        {
            var query = context.Request.Query;
            JsonElement? parameters = null;
            if (!string.IsNullOrEmpty(query["params"]))
            {
                try
                {
                    parameters = JsonDocument.Parse(query["params"].ToString()).RootElement;
                }
                catch (JsonException error)
                {
                    throw new ScriptingException(ErrorKind.BadRequest, $"query parameter 'params' is not valid JSON: {error.Message}");
                }
            }

            return RunAsync(context, new QueryRequest(query["db"], query["q"], query["format"], parameters), catalog, executor);
        });

        app.MapPost(ApiRoutes.QuerySql, async (HttpContext context, SchemaCatalog catalog, IQueryExecutor executor, ServerOptions options) =>
        {
            var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted);
            var request = JsonSerializer.Deserialize<QueryRequest>(body, JsonDefaults.Options)
                ?? throw new ScriptingException(ErrorKind.BadRequest, "the request body must be a JSON object with 'db' and 'q'");
            await RunAsync(context, request, catalog, executor);
        });
    }

    private static async Task RunAsync(HttpContext context, QueryRequest request, SchemaCatalog catalog, IQueryExecutor executor)
    {
        Validation.Check(new QueryRequestValidator(), request);
        var format = ResultFormats.Parse(request.Format, context.Request.Headers.Accept.ToString());
        if (catalog.Find(request.Db!) is null)
        {
            throw new ScriptingException(ErrorKind.NotFound, $"query error: database not found: {request.Db}");
        }

        var parameters = Parameters(request.Params);
        context.Response.ContentType = ResultFormats.ContentType(format);
        if (format == ResultFormat.Parquet)
        {
            using var buffer = new MemoryStream();
            await executor.ExportParquetAsync(request.Db!, request.Q!, parameters, buffer, context.RequestAborted);
            buffer.Position = 0;
            await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        var result = await executor.QueryAsync(request.Db!, request.Q!, parameters, context.RequestAborted);
        await QueryResultWriter.WriteAsync(result, format, context.Response.Body, context.RequestAborted);
    }

    private static Dictionary<string, object?> Parameters(JsonElement? element)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (element is not { ValueKind: JsonValueKind.Object } json)
        {
            return parameters;
        }

        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name.TrimStart('$');
            parameters[name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
                JsonValueKind.Number when property.Value.TryGetUInt64(out var u) => u,
                JsonValueKind.Number => property.Value.GetDouble(),
                _ => throw new ScriptingException(ErrorKind.BadRequest, $"parameter '{property.Name}' must be null, a boolean, a number or a string"),
            };
        }

        return parameters;
    }
}

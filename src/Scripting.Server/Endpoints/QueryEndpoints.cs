using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Core.Errors;
using Scripting.Contracts;
using Microsoft.Extensions.Logging;
using Scripting.Query;
using Scripting.Server.Formatting;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

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
        app.MapGet(ApiRoutes.QuerySql, (HttpContext context, QueryLayer queries, ILoggerFactory logs) =>
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

            return RunAsync(context, new QueryRequest(query["db"], query["q"], query["format"], parameters, query["timeout"]), queries, logs);
        });

        app.MapPost(ApiRoutes.QuerySql, async (HttpContext context, QueryLayer queries, ServerOptions options, ILoggerFactory logs) =>
        {
            var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted);
            var request = JsonSerializer.Deserialize<QueryRequest>(body, JsonDefaults.Options)
                ?? throw new ScriptingException(ErrorKind.BadRequest, "the request body must be a JSON object with 'db' and 'q'");
            await RunAsync(context, request, queries, logs);
        });
    }

    private static async Task RunAsync(HttpContext context, QueryRequest request, QueryLayer queries, ILoggerFactory logs)
    {
        Validation.Check(new QueryRequestValidator(), request);
        var format = ResultFormats.Parse(request.Format, context.Request.Headers.Accept.ToString());
        var timeout = Timeout(request.Timeout);
        var parameters = Parameters(request.Params);
        context.Response.ContentType = ResultFormats.ContentType(format);
        try
        {
            if (format == ResultFormat.Parquet)
            {
                await queries.ExportParquetAsync(request.Db!, request.Q!, parameters, timeout, context.Response.Body, context.RequestAborted);
                return;
            }

            await using var cursor = await queries.OpenAsync(request.Db!, request.Q!, parameters, timeout, context.RequestAborted);
            await QueryResultWriter.WriteAsync(cursor, format, queries.Limits.PrettyRowLimit, context.Response.Body, context.RequestAborted);
        }
        catch (Exception error) when (context.Response.HasStarted)
        {
            // The status line is gone: end the response without its last chunk, which every HTTP client
            // reports as an incomplete transfer rather than a complete result.
            if (!context.RequestAborted.IsCancellationRequested)
            {
                logs.CreateLogger("Scripting.Query").LogWarning("query on '{Database}' failed after its first bytes were sent: {Message}", request.Db, error.Message);
            }

            context.Abort();
        }
    }

    /// <summary>A request's <c>timeout</c>: a duration such as 500ms, 10s or 2m, or a number of seconds (at most a day; the server's limit still applies).</summary>
    private static TimeSpan? Timeout(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DurationText.Parse(text, TimeSpan.FromDays(1))
            ?? throw new ScriptingException(ErrorKind.BadRequest, $"invalid timeout '{text}': expected a positive duration such as 500ms, 10s or 2m");
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

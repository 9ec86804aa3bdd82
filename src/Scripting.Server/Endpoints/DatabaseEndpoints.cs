using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Contracts;
using Scripting.Core.Queries;
using Scripting.Server.Formatting;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

internal sealed class CreateDatabaseRequestValidator : AbstractValidator<CreateDatabaseRequest>
{
    public CreateDatabaseRequestValidator()
    {
        RuleFor(r => r.Db).Must(db => Names.ValidateDatabaseName(db) is null)
            .WithMessage(r => Names.ValidateDatabaseName(r.Db) ?? string.Empty);
    }
}

internal sealed class CreateTableRequestValidator : AbstractValidator<CreateTableRequest>
{
    public CreateTableRequestValidator()
    {
        RuleFor(r => r.Db).NotEmpty().WithMessage("missing field 'db'");
        RuleFor(r => r.Table).NotEmpty().WithMessage("missing field 'table'");
        RuleFor(r => r.Tags).NotNull().WithMessage("missing field 'tags' (give [] for a table without tags)");
        RuleForEach(r => r.Fields).Must(f => !string.IsNullOrEmpty(f.Name)).WithMessage("every field needs a 'name'");
        RuleForEach(r => r.Fields).Must(f => ColumnTypes.TryParseFieldType(f.Type, out _))
            .WithMessage((_, f) => $"field '{f.Name}' has type '{f.Type}': expected one of {ColumnTypes.FieldTypeNames}");
    }
}

/// <summary>Databases and tables: <c>/api/v3/configure/database</c> and <c>/api/v3/configure/table</c>.</summary>
internal static class DatabaseEndpoints
{
    public static void MapDatabaseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Database, async (HttpContext context, SchemaCatalog catalog) =>
        {
            var format = ResultFormats.Parse(context.Request.Query["format"].ToString() is { Length: > 0 } f ? f : "json", null);
            if (format == ResultFormat.Parquet)
            {
                throw new ScriptingException(ErrorKind.BadRequest, "format 'parquet' is not available for the database list");
            }

            // InfluxDB 3 lists its _internal database first.
            var rows = catalog.Databases.Select(d => new object?[] { d.Name }).Prepend([SystemTables.InternalDatabase]).ToList();
            var result = new QueryResult([new QueryColumn("iox::database", QueryColumnType.String)], rows);
            context.Response.ContentType = ResultFormats.ContentType(format);
            await QueryResultWriter.WriteAsync(result, format, context.Response.Body, context.RequestAborted);
        });

        app.MapPost(ApiRoutes.Database, async (HttpContext context, SchemaCatalog catalog, ServerOptions options) =>
        {
            var request = await ReadJsonAsync<CreateDatabaseRequest>(context, options);
            Validation.Check(new CreateDatabaseRequestValidator(), request);
            catalog.CreateDatabase(request.Db!);
            return Results.Ok();
        });

        app.MapDelete(ApiRoutes.Database, (HttpContext context, SchemaCatalog catalog) =>
        {
            var database = context.Request.Query["db"].ToString();
            if (database.Length == 0)
            {
                throw new ScriptingException(ErrorKind.BadRequest, "missing query parameter 'db'");
            }

            catalog.DeleteDatabase(database);
            return Results.Ok();
        });

        app.MapPost(ApiRoutes.Table, async (HttpContext context, SchemaCatalog catalog, ServerOptions options) =>
        {
            var request = await ReadJsonAsync<CreateTableRequest>(context, options);
            Validation.Check(new CreateTableRequestValidator(), request);
            catalog.Get(request.Db!);
            var fields = (request.Fields ?? [])
                .Select(f => new ColumnDefinition(f.Name!, ColumnTypes.TryParseFieldType(f.Type, out var type) ? type : ColumnType.String))
                .ToList();
            catalog.CreateTable(request.Db!, request.Table!, request.Tags!, fields);
            return Results.Ok();
        });
    }

    internal static async Task<T> ReadJsonAsync<T>(HttpContext context, ServerOptions options)
    {
        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted);
        if (body.Length == 0)
        {
            throw new ScriptingException(ErrorKind.BadRequest, "the request needs a JSON body");
        }

        return JsonSerializer.Deserialize<T>(body, JsonDefaults.Options)
            ?? throw new ScriptingException(ErrorKind.BadRequest, "the request body must be a JSON object");
    }
}

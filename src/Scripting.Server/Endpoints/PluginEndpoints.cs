using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Core.Errors;
using Scripting.Contracts;
using Scripting.Core.Queries;
using Scripting.Engine.Plugins;
using Scripting.Engine.Testing;
using Scripting.Server.Formatting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

internal sealed class WalTestRequestValidator : AbstractValidator<WalTestRequest>
{
    public WalTestRequestValidator()
    {
        RuleFor(r => r.Filename).NotEmpty().WithMessage("filename is required: the plugin to run, relative to the plugin directory");
        RuleFor(r => r.Database).NotEmpty().WithMessage("database is required");
        RuleFor(r => r.InputLp).NotEmpty().WithMessage("input_lp is required: the line protocol whose rows the plugin receives");
    }
}

internal sealed class ScheduleTestRequestValidator : AbstractValidator<ScheduleTestRequest>
{
    public ScheduleTestRequestValidator()
    {
        RuleFor(r => r.Filename).NotEmpty().WithMessage("filename is required: the plugin to run, relative to the plugin directory");
        RuleFor(r => r.Database).NotEmpty().WithMessage("database is required");
    }
}

internal sealed class PluginFileRequestValidator : AbstractValidator<PluginFileRequest>
{
    public PluginFileRequestValidator()
    {
        RuleFor(r => r.PluginName).NotEmpty().WithMessage("plugin_name is required");
        RuleFor(r => r.Content).NotNull().WithMessage("content is required: the plugin's source text");
    }
}

internal sealed class PluginDirectoryRequestValidator : AbstractValidator<PluginDirectoryRequest>
{
    public PluginDirectoryRequestValidator()
    {
        RuleFor(r => r.PluginName).NotEmpty().WithMessage("plugin_name is required: the trigger whose plugin directory is replaced");
        RuleFor(r => r.Files).Must(f => f is { Count: > 0 }).WithMessage("files is required: a list of {\"relative_path\", \"content\"}");
        RuleForEach(r => r.Files).Must(f => !string.IsNullOrEmpty(f.RelativePath) && f.Content is not null)
            .WithMessage("each file needs relative_path and content");
    }
}

/// <summary>Dry runs, plugin files and the plugin listing.</summary>
internal static class PluginEndpoints
{
    private static readonly QueryColumn[] ListingColumns =
        [.. new[] { "name", "language", "entry_points", "triggers", "state", "error" }.Select(c => new QueryColumn(c, QueryColumnType.String))];

    public static void MapPluginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.PluginTestWal, async (WalTestRequest request, PluginTester tester) =>
        {
            Validation.Check(new WalTestRequestValidator(), request);
            return Results.Json(Response(await tester.TestWritesAsync(request.Filename!, request.Database!, request.InputLp!, request.InputArguments, request.CacheName)));
        });
        app.MapPost(ApiRoutes.PluginTestSchedule, async (ScheduleTestRequest request, PluginTester tester) =>
        {
            Validation.Check(new ScheduleTestRequestValidator(), request);
            return Results.Json(Response(await tester.TestScheduleAsync(request.Filename!, request.Database!, request.Schedule, request.InputArguments, request.CacheName)));
        });

        app.MapPost(ApiRoutes.PluginFiles, (PluginFileRequest request, PluginFiles files) =>
        {
            Validation.Check(new PluginFileRequestValidator(), request);
            files.Write(request.PluginName!, request.Content!);
            return Results.Ok();
        });
        app.MapPut(ApiRoutes.PluginFiles, (PluginFileRequest request, PluginFiles files) =>
        {
            Validation.Check(new PluginFileRequestValidator(), request);
            files.ReplaceTriggerPlugin(request.PluginName!, request.Content!);
            return Results.Ok();
        });
        app.MapPut(ApiRoutes.PluginDirectory, (PluginDirectoryRequest request, PluginFiles files) =>
        {
            Validation.Check(new PluginDirectoryRequestValidator(), request);
            files.ReplaceTriggerDirectory(request.PluginName!, request.Files!.Select(f => new PluginFile(f.RelativePath!, f.Content!)).ToList());
            return Results.Ok();
        });

        app.MapGet(ApiRoutes.Plugins, async (HttpContext context, PluginListing listing) =>
        {
            var plugins = listing.List();
            var requested = context.Request.Query["format"].ToString();
            if (requested.Length == 0 || requested == "json")
            {
                await Results.Json(new PluginListResponse([.. plugins.Select(Info)])).ExecuteAsync(context);
                return;
            }

            // The other formats are the query formats, as `show databases` has them.
            var format = ResultFormats.Parse(requested, null);
            if (format == ResultFormat.Parquet)
            {
                throw new ScriptingException(ErrorKind.BadRequest, "format 'parquet' is not available for the plugin list");
            }

            var result = new QueryResult(
                ListingColumns,
                plugins.Select(p => new object?[]
                {
                    p.Name, p.Language, string.Join(' ', p.EntryPoints), string.Join(' ', p.Triggers.Select(t => $"{t.Database}/{t.TriggerName}")), p.State, p.Error,
                }).ToList());
            context.Response.ContentType = ResultFormats.ContentType(format);
            await QueryResultWriter.WriteAsync(result, format, context.Response.Body, context.RequestAborted);
        });
    }

    private static PluginTestResponse Response(PluginTestResult result) =>
        new(result.LogLines, result.DatabaseWrites, result.Errors, result.TriggerTime);

    private static PluginInfo Info(PluginSummary plugin) => new(
        plugin.Name,
        plugin.Language,
        plugin.EntryPoints,
        [.. plugin.Triggers.Select(t => new PluginTriggerInfo(t.Database, t.TriggerName, t.TriggerSpecification, t.Disabled))],
        plugin.State,
        plugin.Error);
}

using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Contracts;
using Scripting.Core.Security;
using Scripting.Core.Triggers;
using Scripting.Engine;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

internal sealed class CreateTriggerRequestValidator : AbstractValidator<CreateTriggerRequest>
{
    public CreateTriggerRequestValidator()
    {
        RuleFor(r => r.Db).NotEmpty().WithMessage("missing field 'db': the database the trigger belongs to");
        RuleFor(r => r.PluginFilename).NotEmpty().WithMessage("missing field 'plugin_filename': the plugin file, relative to the plugin directory");
        RuleFor(r => r.TriggerName).NotEmpty().WithMessage("missing field 'trigger_name'");
        RuleFor(r => r.TriggerName).Must(n => string.IsNullOrEmpty(n) || Names.IsValidObjectName(n))
            .WithMessage("invalid 'trigger_name': at most 255 characters, no control characters or '/'");
        RuleFor(r => r.TriggerSpecification).Must(s => s is { ValueKind: JsonValueKind.String or JsonValueKind.Object })
            .WithMessage("missing field 'trigger_specification': for example \"every:10s\", \"cron:0 0 * * *\", \"table:home\", \"all_tables\" or \"request:path\"");
        RuleFor(r => r.TriggerSettings).Must(s => s is null || s.Value.ValueKind is JsonValueKind.Object or JsonValueKind.String or JsonValueKind.Null)
            .WithMessage("invalid 'trigger_settings': expected {\"run_async\": false, \"error_behavior\": \"log\"} or a string such as \"retry\"");
        RuleFor(r => r.TriggerArguments).Must(a => a is null || a.Value.ValueKind == JsonValueKind.Null
                || (a.Value.ValueKind == JsonValueKind.Object && a.Value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String)))
            .WithMessage("invalid 'trigger_arguments': expected an object whose values are all strings, for example {\"threshold\": \"90\"}");
    }
}

/// <summary>Triggers: create, delete, enable and disable.</summary>
internal static class TriggerEndpoints
{
    public static void MapTriggerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.Trigger, async (HttpContext context, SchemaCatalog catalog, ProcessingEngine engine, SecretStore secrets, ServerOptions options) =>
        {
            var request = await DatabaseEndpoints.ReadJsonAsync<CreateTriggerRequest>(context, options);
            Validation.Check(new CreateTriggerRequestValidator(), request);
            var specification = TriggerSpecification.FromJson(request.TriggerSpecification!.Value, out var specError)
                ?? throw new ScriptingException(ErrorKind.BadRequest, $"invalid 'trigger_specification': {specError}");
            var settings = Settings(request.TriggerSettings);
            var arguments = request.TriggerArguments is { ValueKind: JsonValueKind.Object } args
                ? args.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : null;
            var database = catalog.Get(request.Db!);
            if (database.Triggers.ContainsKey(request.TriggerName!))
            {
                throw new ScriptingException(ErrorKind.Conflict, $"attempted to create a resource that already exists: trigger '{request.TriggerName}' in database '{request.Db}'");
            }

            engine.Validate(request.PluginFilename!, specification);
            if (secrets.Missing(arguments).FirstOrDefault() is { } missing)
            {
                throw new ScriptingException(ErrorKind.BadRequest, $"invalid 'trigger_arguments': secret '{missing}' does not exist; create it first with `scripting create secret {missing}`");
            }

            catalog.CreateTrigger(new TriggerDefinition(request.TriggerName!, request.Db!, request.PluginFilename!, specification, settings, arguments, request.Disabled ?? false));
            return Results.Ok();
        });

        app.MapDelete(ApiRoutes.Trigger, async (HttpContext context, SchemaCatalog catalog, ServerOptions options) =>
        {
            var (database, name, force) = context.Request.QueryString.HasValue
                ? (context.Request.Query["db"].ToString(), context.Request.Query["trigger_name"].ToString(), context.Request.Query["force"] == "true")
                : await FromBodyAsync(context, options);
            Require(database, "db");
            Require(name, "trigger_name");
            var trigger = catalog.GetTrigger(database, name);
            if (!trigger.Disabled && !force)
            {
                throw new ScriptingException(ErrorKind.Conflict, $"Cannot delete running plugin {name}. Disable it first or use --force.");
            }

            catalog.DeleteTrigger(database, name);
            return Results.Ok();
        });

        app.MapPost(ApiRoutes.TriggerEnable, (HttpContext context, SchemaCatalog catalog) => SetDisabled(context, catalog, false));
        app.MapPost(ApiRoutes.TriggerDisable, (HttpContext context, SchemaCatalog catalog) => SetDisabled(context, catalog, true));
    }

    private static IResult SetDisabled(HttpContext context, SchemaCatalog catalog, bool disabled)
    {
        var database = context.Request.Query["db"].ToString();
        var name = context.Request.Query["trigger_name"].ToString();
        Require(database, "db");
        Require(name, "trigger_name");
        catalog.SetTriggerDisabled(database, name, disabled);
        return Results.Ok();
    }

    private static TriggerSettings Settings(JsonElement? json)
    {
        switch (json)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return new TriggerSettings();
            case { ValueKind: JsonValueKind.String } text:
                return TriggerSettings.TryParseErrorBehavior(text.GetString(), out var shorthand)
                    ? new TriggerSettings(ErrorBehavior: shorthand)
                    : throw new ScriptingException(ErrorKind.BadRequest, $"invalid 'trigger_settings' '{text.GetString()}': expected log, retry or disable");
            case { } settings:
                var runAsync = settings.TryGetProperty("run_async", out var async) && async.ValueKind == JsonValueKind.True;
                var behavior = ErrorBehavior.Log;
                if (settings.TryGetProperty("error_behavior", out var behaviorJson)
                    && !TriggerSettings.TryParseErrorBehavior(behaviorJson.ValueKind == JsonValueKind.String ? behaviorJson.GetString() : null, out behavior))
                {
                    throw new ScriptingException(ErrorKind.BadRequest, $"invalid 'trigger_settings.error_behavior' {behaviorJson.GetRawText()}: expected \"log\", \"retry\" or \"disable\"");
                }

                return new TriggerSettings(runAsync, behavior);
        }
    }

    private static async Task<(string Database, string Name, bool Force)> FromBodyAsync(HttpContext context, ServerOptions options)
    {
        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted);
        if (body.Length == 0)
        {
            return (string.Empty, string.Empty, false);
        }

        var request = JsonSerializer.Deserialize(body, ApiJsonContext.Default.DeleteTriggerRequest);
        return (request?.Db ?? string.Empty, request?.TriggerName ?? string.Empty, request?.Force == true);
    }

    private static void Require(string value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"missing field '{name}'");
        }
    }
}

using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Contracts;
using Scripting.Core.Security;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

internal sealed class CreateSecretRequestValidator : AbstractValidator<CreateSecretRequest>
{
    public CreateSecretRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("missing field 'name': the secret's name, as trigger arguments refer to it (${secret:NAME})");
        RuleFor(r => r.Value).NotNull().WithMessage("missing field 'value'");
    }
}

/// <summary>
/// Secrets for trigger arguments: create (the value goes in, never out), list (names, creation and last
/// use, the triggers using each), delete (refused while a trigger uses it, unless forced). Every token
/// here is an admin token, as in InfluxDB 3 Core.
/// </summary>
internal static class SecretEndpoints
{
    public static void MapSecretEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.Secret, (CreateSecretRequest request, SecretStore secrets) =>
        {
            Validation.Check(new CreateSecretRequestValidator(), request);
            var created = secrets.Create(request.Name!, request.Value!);
            return Results.Json(new CreatedSecret(created.Name, created.CreatedAt), statusCode: StatusCodes.Status201Created);
        });
        app.MapGet(ApiRoutes.Secret, (SecretStore secrets, SchemaCatalog catalog) =>
            Results.Json<IReadOnlyList<SecretInfo>>([.. secrets.Secrets.Select(s => new SecretInfo(s.Name, s.CreatedAt, s.LastUsedAt, UsedBy(catalog, s.Name)))]));
        app.MapDelete(ApiRoutes.Secret, (string? name, bool? force, SecretStore secrets, SchemaCatalog catalog) =>
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ScriptingException(ErrorKind.BadRequest, "missing query parameter 'name': the secret to delete");
            }

            if (UsedBy(catalog, name) is { Count: > 0 } users && force != true)
            {
                throw new ScriptingException(ErrorKind.Conflict, $"secret '{name}' is used by trigger {string.Join(", ", users)}; change or delete the trigger first, or delete with --force (its runs then fail until the secret exists again)");
            }

            secrets.Delete(name);
            return Results.Ok();
        });
    }

    /// <summary>The triggers (database/name) whose arguments refer to <paramref name="secret"/>.</summary>
    private static List<string> UsedBy(SchemaCatalog catalog, string secret) =>
        [.. catalog.Triggers.Where(t => (t.Arguments?.Values ?? []).SelectMany(SecretStore.References).Contains(secret)).Select(t => $"{t.Database}/{t.Name}")];
}

using FluentValidation;
using Scripting.Core.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Contracts;
using Scripting.Core.Security;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

internal sealed class NamedTokenRequestValidator : AbstractValidator<NamedTokenRequest>
{
    public NamedTokenRequestValidator()
    {
        RuleFor(r => r.TokenName).NotEmpty().WithMessage("token_name is required");
        RuleFor(r => r.TokenName).Must(n => string.IsNullOrEmpty(n) || Names.IsValidObjectName(n))
            .WithMessage("invalid 'token_name': at most 255 characters, no control characters or '/'");
        RuleFor(r => r.ExpirySecs).GreaterThan(0).When(r => r.ExpirySecs is not null).WithMessage("expiry_secs must be a positive number of seconds");
    }
}

/// <summary>Tokens: the operator token, named admin tokens, listing (without secrets), deletion.</summary>
internal static class TokenEndpoints
{
    private const string Disabled = "endpoint disabled, started without auth";

    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.TokenAdmin, (TokenStore tokens, ServerOptions options) =>
            options.WithoutAuth ? DisabledResult() : Created(tokens.CreateOperator()));
        app.MapPost(ApiRoutes.TokenAdminRegenerate, (TokenStore tokens, ServerOptions options) =>
            options.WithoutAuth ? DisabledResult() : Created(tokens.RegenerateOperator()));
        app.MapPost(ApiRoutes.TokenNamedAdmin, (NamedTokenRequest request, TokenStore tokens, ServerOptions options) =>
        {
            if (options.WithoutAuth)
            {
                return DisabledResult();
            }

            Validation.Check(new NamedTokenRequestValidator(), request);
            return Created(tokens.CreateNamed(request.TokenName!, request.ExpirySecs is { } seconds ? TimeSpan.FromSeconds(seconds) : null));
        });
        app.MapDelete(ApiRoutes.Token, (string? token_name, TokenStore tokens, ServerOptions options) =>
        {
            if (options.WithoutAuth)
            {
                return DisabledResult();
            }

            tokens.Delete(string.IsNullOrEmpty(token_name) ? throw new Core.Errors.ScriptingException(Core.Errors.ErrorKind.BadRequest, "token_name is required") : token_name);
            return Results.Ok();
        });
        app.MapGet(ApiRoutes.Token, (TokenStore tokens, ServerOptions options) => options.WithoutAuth
            ? DisabledResult()
            : Results.Json<IReadOnlyList<TokenInfo>>([.. tokens.Tokens.Select(t => new TokenInfo(t.Id, t.Name, t.Hash, t.CreatedAt, t.Expiry))]));
    }

    private static IResult Created(NewToken token) => Results.Json(
        new CreatedToken(token.Id, token.Name, token.Token, token.Hash, token.CreatedAt, token.Expiry),
        statusCode: StatusCodes.Status201Created);

    private static IResult DisabledResult() => ErrorResponses.Error(StatusCodes.Status405MethodNotAllowed, Disabled);
}

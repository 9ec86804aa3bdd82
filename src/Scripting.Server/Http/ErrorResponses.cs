using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Scripting.Contracts;
using Scripting.Core.Errors;

namespace Scripting.Server.Http;

/// <summary>Every error leaves the server as JSON <c>{"error": "..."}</c> with a status that fits it.</summary>
internal static class ErrorResponses
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorKind.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Error(int status, string message, JsonElement? data = null) =>
        Results.Json(new ErrorResponse(message, data), statusCode: status);

    public static IResult From(ScriptingException error) => Error(
        StatusOf(error.Kind),
        error.Message,
        error.Detail is { } detail ? JsonSerializer.SerializeToElement(detail, detail.GetType(), JsonDefaults.Options) : null);

    /// <summary>Catches what endpoints throw and answers with the JSON error body.</summary>
    public static async Task HandleAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context);
        }
        catch (ScriptingException error) when (!context.Response.HasStarted)
        {
            await From(error).ExecuteAsync(context);
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            if (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0;
                await Error(error.StatusCode, RequestLimits.Exceeded(limit)).ExecuteAsync(context);
            }
            else
            {
                await Error(StatusCodes.Status400BadRequest, error.Message).ExecuteAsync(context);
            }
        }
        catch (JsonException error) when (!context.Response.HasStarted)
        {
            await Error(StatusCodes.Status400BadRequest, $"invalid JSON body: {error.Message}").ExecuteAsync(context);
        }
        catch (Exception error) when (!context.Response.HasStarted && StorageFailure.Recognize(error) is { } disk)
        {
            logger.LogError("{Method} {Path}: {Message}", context.Request.Method, context.Request.Path, disk.Message);
            await From(disk).ExecuteAsync(context);
        }
        catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(error, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await Error(StatusCodes.Status500InternalServerError, $"internal error: {error.Message}").ExecuteAsync(context);
        }
    }
}

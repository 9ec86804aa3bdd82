using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Contracts;
using Scripting.Core.LineProtocol;
using Scripting.Core.Time;
using Scripting.Core.Writes;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

/// <summary>Line protocol writes: v3 (<c>/api/v3/write_lp</c>), v2 and v1 compatible paths.</summary>
internal static class WriteEndpoints
{
    public static void MapWriteEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.WriteLp, WriteV3Async);
        app.MapPost(ApiRoutes.WriteV1, WriteV1Async);
        app.MapPost(ApiRoutes.WriteV2, WriteV2Async);
    }

    private static async Task<IResult> WriteV3Async(HttpContext context, WriteService writes)
    {
        var query = context.Request.Query;
        var database = Required(query, "db");
        if (!PrecisionNames.TryParse(query["precision"], allowAuto: true, out var precision))
        {
            throw BadPrecision(query["precision"], allowAuto: true);
        }

        var options = new WriteOptions(Flag(query, "accept_partial", true), Flag(query, "no_sync", false));
        return await writes.WriteAsync(context, database, precision, options, v2Errors: false);
    }

    private static async Task<IResult> WriteV1Async(HttpContext context, WriteService writes)
    {
        var query = context.Request.Query;
        var database = Required(query, "db");
        var retention = query["rp"].ToString();
        if (retention is not ("" or "autogen" or "default"))
        {
            database = $"{database}/{retention}";
        }

        if (!PrecisionNames.TryParse(query["precision"], allowAuto: false, out var precision))
        {
            throw BadPrecision(query["precision"], allowAuto: false);
        }

        return await writes.WriteAsync(context, database, precision, new WriteOptions(AcceptPartial: false), v2Errors: false);
    }

    private static async Task<IResult> WriteV2Async(HttpContext context, WriteService writes)
    {
        try
        {
            var query = context.Request.Query;
            var database = Required(query, "bucket");
            if (!PrecisionNames.TryParse(query["precision"], allowAuto: false, out var precision))
            {
                throw BadPrecision(query["precision"], allowAuto: false);
            }

            return await writes.WriteAsync(context, database, precision, new WriteOptions(AcceptPartial: false), v2Errors: true);
        }
        catch (ScriptingException error)
        {
            return V2Error(ErrorResponses.StatusOf(error.Kind), error.Message);
        }
    }

    internal static IResult V2Error(int status, string message) => Results.Json(
        new V2ErrorResponse(status switch { 400 => "invalid", 404 => "not found", 413 => "request too large", 422 => "unprocessable entity", _ => "internal error" }, message),
        statusCode: status);

    private static string Required(IQueryCollection query, string name)
    {
        var value = query[name].ToString();
        return string.IsNullOrEmpty(value)
            ? throw new ScriptingException(ErrorKind.BadRequest, $"missing query parameter '{name}'")
            : value;
    }

    private static bool Flag(IQueryCollection query, string name, bool fallback)
    {
        var value = query[name].ToString();
        return value.Length == 0 ? fallback : bool.TryParse(value, out var flag)
            ? flag
            : throw new ScriptingException(ErrorKind.BadRequest, $"invalid value '{value}' for query parameter '{name}': expected true or false");
    }

    private static ScriptingException BadPrecision(string? value, bool allowAuto) =>
        new(ErrorKind.BadRequest, $"invalid precision '{value}': expected one of {PrecisionNames.Describe(allowAuto)}");
}

/// <summary>The three write endpoints' side of the write path: the body, and InfluxDB's HTTP answers.</summary>
internal sealed class WriteService(WritePath writes, ServerOptions options)
{
    public async Task<IResult> WriteAsync(HttpContext context, string database, Precision precision, WriteOptions writeOptions, bool v2Errors)
    {
        using var body = await RequestBody.ReadPooledAsync(context.Request, options.MaxRequestBytes, context.RequestAborted);
        if (!Utf8.IsValid(body.Memory.Span))
        {
            throw new ScriptingException(ErrorKind.BadRequest, "body content is not valid utf8");
        }

        var check = writes.Check(database, body.Memory, precision, writeOptions.AcceptPartial);
        switch (check.Refusal)
        {
            case WriteRefusal.InvalidDatabase:
                throw new ScriptingException(ErrorKind.BadRequest, check.Reason!);
            case WriteRefusal.Empty:
                throw new ScriptingException(ErrorKind.BadRequest, "incoming write was empty");
            case WriteRefusal.Parse or WriteRefusal.Schema:
                return Rejected(check.Line!, v2Errors);
        }

        var validated = check.Write!;
        await writes.StoreAsync(validated, writeOptions, context.RequestAborted);
        if (validated.Errors.Count == 0)
        {
            return Results.NoContent();
        }

        IReadOnlyList<RejectedLine> data = [.. validated.Errors.Select(Rejected)];
        // As upstream: a line refused by a schema limit makes the partial write a 422.
        var limited = validated.Errors.Any(e => e.Message.StartsWith(SchemaLimits.ExceededPrefix, StringComparison.Ordinal));
        return ErrorResponses.Error(limited ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest, "partial write of line protocol occurred", JsonSerializer.SerializeToElement(data, ApiJsonContext.Default.IReadOnlyListRejectedLine));
    }

    private static IResult Rejected(LineError error, bool v2Errors) => v2Errors
        ? WriteEndpoints.V2Error(StatusCodes.Status400BadRequest, $"line protocol parsing error on line {error.LineNumber}: {error.Message}")
        : ErrorResponses.Error(
            StatusCodes.Status400BadRequest,
            "line protocol parsing error",
            JsonSerializer.SerializeToElement(Rejected(error), ApiJsonContext.Default.RejectedLine));

    private static RejectedLine Rejected(LineError error) => new(error.Message, error.LineNumber, error.OriginalLine);
}

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Contracts;
using Scripting.Core.Errors;
using Scripting.Core.Time;
using Scripting.InfluxQL;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

/// <summary>
/// InfluxQL over v1's <c>GET|POST /query</c>: <c>db</c>, <c>q</c> (in the query string, a form body or the
/// raw body), <c>epoch</c>, <c>pretty</c>; the answer in v1's JSON (<c>results</c>, one per statement,
/// each with its <c>series</c> or its <c>error</c>).
/// </summary>
internal static class InfluxQlEndpoints
{
    public static void MapInfluxQlEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(ApiRoutes.QueryV1, [HttpMethods.Get, HttpMethods.Post], async (HttpContext context, InfluxQlLayer influxql, ServerOptions options) =>
        {
            var request = context.Request;
            string? q = request.Query["q"];
            string? db = request.Query["db"];
            string? epoch = request.Query["epoch"];
            var pretty = request.Query["pretty"] == "true";
            if (HttpMethods.IsPost(request.Method))
            {
                if (request.HasFormContentType)
                {
                    var form = await request.ReadFormAsync(context.RequestAborted);
                    q = string.IsNullOrEmpty(q) ? form["q"].ToString() : q;
                    db = string.IsNullOrEmpty(db) ? form["db"].ToString() : db;
                    epoch = string.IsNullOrEmpty(epoch) ? form["epoch"].ToString() : epoch;
                }
                else if (string.IsNullOrEmpty(q))
                {
                    q = System.Text.Encoding.UTF8.GetString(await RequestBody.ReadAsync(request, options.MaxRequestBytes, context.RequestAborted));
                }
            }

            if (string.IsNullOrWhiteSpace(q))
            {
                throw new ScriptingException(ErrorKind.BadRequest, "missing required parameter \"q\"");
            }

            var unit = EpochUnit(epoch);
            var results = await influxql.RunAsync(string.IsNullOrEmpty(db) ? null : db, q, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = pretty });
            V1Json.Write(writer, results, unit);
        });
    }

    /// <summary>Nanoseconds per unit of <c>epoch</c> (ns, u or µ, ms, s, m, h); null for RFC 3339 text.</summary>
    private static long? EpochUnit(string? epoch) => epoch switch
    {
        null or "" => null,
        "ns" or "n" => 1,
        "u" or "µ" or "us" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => throw new ScriptingException(ErrorKind.BadRequest, $"invalid epoch '{epoch}': expected ns, u, µ, ms, s, m or h"),
    };
}

/// <summary>v1's JSON for InfluxQL results.</summary>
internal static class V1Json
{
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<StatementResult> results, long? epochUnit)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("results");
        foreach (var result in results)
        {
            writer.WriteStartObject();
            writer.WriteNumber("statement_id", result.StatementId);
            if (result.Error is { } error)
            {
                writer.WriteString("error", error);
            }
            else if (result.Series.Count > 0)
            {
                writer.WriteStartArray("series");
                foreach (var series in result.Series)
                {
                    Series(writer, series, epochUnit);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Series(Utf8JsonWriter writer, Series series, long? epochUnit)
    {
        writer.WriteStartObject();
        if (series.Name is { } name)
        {
            writer.WriteString("name", name);
        }

        if (series.Tags is { Count: > 0 } tags)
        {
            writer.WriteStartObject("tags");
            foreach (var (key, value) in tags)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartArray("columns");
        foreach (var column in series.Columns)
        {
            writer.WriteStringValue(column);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("values");
        foreach (var row in series.Values)
        {
            writer.WriteStartArray();
            for (var i = 0; i < row.Length; i++)
            {
                if (i == series.TimeColumn && row[i] is long nanoseconds)
                {
                    if (epochUnit is { } unit)
                    {
                        writer.WriteNumberValue(nanoseconds / unit);
                    }
                    else
                    {
                        writer.WriteStringValue(UnixNanoseconds.ToRfc3339(nanoseconds));
                    }

                    continue;
                }

                Value(writer, row[i]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long integer:
                writer.WriteNumberValue(integer);
                break;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case double:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}

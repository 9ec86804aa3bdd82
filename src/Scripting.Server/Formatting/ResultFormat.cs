using Scripting.Core.Errors;

namespace Scripting.Server.Formatting;

internal enum ResultFormat
{
    Json,
    JsonLines,
    Csv,
    Pretty,
    Parquet,
}

internal static class ResultFormats
{
    public const string Names = "json, jsonl, csv, pretty, parquet";

    public static ResultFormat Parse(string? format, string? accept)
    {
        if (!string.IsNullOrEmpty(format))
        {
            return format.ToLowerInvariant() switch
            {
                "json" => ResultFormat.Json,
                "jsonl" or "json_lines" => ResultFormat.JsonLines,
                "csv" => ResultFormat.Csv,
                "pretty" => ResultFormat.Pretty,
                "parquet" => ResultFormat.Parquet,
                _ => throw new ScriptingException(ErrorKind.BadRequest, $"invalid format '{format}': expected one of {Names}"),
            };
        }

        if (string.IsNullOrWhiteSpace(accept) || accept.Contains("application/json", StringComparison.Ordinal)
            || accept.Contains("*/*", StringComparison.Ordinal) || accept.Contains("text/html", StringComparison.Ordinal))
        {
            return ResultFormat.Json;
        }

        return accept.Split(',')[0].Split(';')[0].Trim() switch
        {
            "application/jsonl" => ResultFormat.JsonLines,
            "text/csv" => ResultFormat.Csv,
            "text/plain" => ResultFormat.Pretty,
            "application/vnd.apache.parquet" => ResultFormat.Parquet,
            _ => throw new ScriptingException(ErrorKind.BadRequest, $"invalid mime type ({accept})"),
        };
    }

    public static string ContentType(ResultFormat format) => format switch
    {
        ResultFormat.Json => "application/json",
        ResultFormat.JsonLines => "application/jsonl",
        ResultFormat.Csv => "text/csv",
        ResultFormat.Pretty => "text/plain; charset=utf-8",
        _ => "application/vnd.apache.parquet",
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scripting.Contracts;

/// <summary>Every error body: <c>{"error": "..."}</c>, with <c>data</c> where the error has details (the rejected lines of a write).</summary>
public sealed record ErrorResponse(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Data = null);

/// <summary>A line a write rejected, as in InfluxDB 3's partial-write errors.</summary>
public sealed record RejectedLine(string ErrorMessage, int LineNumber, string OriginalLine);

/// <summary>The error body of the v2 write path, as InfluxDB v2: a code such as <c>invalid</c> and a message.</summary>
public sealed record V2ErrorResponse(string Code, string Message);

namespace Scripting.Contracts;

/// <summary><c>/ping</c>: what answers, in JSON.</summary>
public sealed record HealthResponse(string ProductName, string Version, string Revision, string ProcessId);

using System.Text.Json;

namespace Scripting.Contracts;

/// <summary>
/// <c>POST /api/v3/configure/processing_engine_trigger</c>. The specification is a string such as
/// <c>"every:10s"</c> or InfluxDB 3's object form; the settings an object (<see cref="TriggerSettingsBody"/>)
/// or an error behaviour as a string; the arguments an object of strings.
/// </summary>
public sealed record CreateTriggerRequest(
    string? Db,
    string? PluginFilename,
    string? TriggerName,
    JsonElement? TriggerSpecification,
    JsonElement? TriggerSettings,
    JsonElement? TriggerArguments,
    bool? Disabled);

/// <summary>The object form of a trigger's settings.</summary>
public sealed record TriggerSettingsBody(bool RunAsync, string ErrorBehavior);

/// <summary><c>DELETE /api/v3/configure/processing_engine_trigger</c> with a JSON body (the same names work as query parameters).</summary>
public sealed record DeleteTriggerRequest(string? Db, string? TriggerName, bool? Force);

namespace Scripting.Core.Triggers;

public enum ErrorBehavior
{
    /// <summary>Record the error and go on.</summary>
    Log,

    /// <summary>Run again with the same input, backing off from 1 s doubling to 5 minutes.</summary>
    Retry,

    /// <summary>Disable the trigger (persisted) and record why.</summary>
    Disable,
}

public sealed record TriggerSettings(bool RunAsync = false, ErrorBehavior ErrorBehavior = ErrorBehavior.Log)
{
    public static bool TryParseErrorBehavior(string? text, out ErrorBehavior behavior) =>
        Enum.TryParse(text, ignoreCase: true, out behavior) && Enum.IsDefined(behavior) && !int.TryParse(text, out _);
}

/// <summary>A trigger as the catalog keeps it.</summary>
public sealed record TriggerDefinition(
    string Name,
    string Database,
    string PluginFilename,
    TriggerSpecification Specification,
    TriggerSettings Settings,
    IReadOnlyDictionary<string, string>? Arguments,
    bool Disabled);

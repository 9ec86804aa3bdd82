namespace Scripting.Contracts;

/// <summary><c>POST /api/v3/plugin_test/wal</c>: a dry run of <c>process_writes</c> with the rows of <paramref name="InputLp"/>.</summary>
public sealed record WalTestRequest(string? Filename, string? Database, string? InputLp, string? CacheName = null, Dictionary<string, string>? InputArguments = null);

/// <summary><c>POST /api/v3/plugin_test/schedule</c>: a dry run of <c>process_scheduled_call</c> at the next fire time of <paramref name="Schedule"/>.</summary>
public sealed record ScheduleTestRequest(string? Filename, string? Database, string? Schedule, string? CacheName = null, Dictionary<string, string>? InputArguments = null);

/// <summary>What a dry run did: its log lines, the lines it would have written per database, and what went wrong.</summary>
/// <param name="TriggerTime">The instant a schedule dry run was called with (RFC 3339); absent for write dry runs.</param>
public sealed record PluginTestResponse(
    IReadOnlyList<string> LogLines,
    IReadOnlyDictionary<string, List<string>> DatabaseWrites,
    IReadOnlyList<string> Errors,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? TriggerTime = null);

/// <summary><c>POST</c> (create or replace a file) and <c>PUT</c> (replace a trigger's plugin) <c>/api/v3/plugins/files</c>.</summary>
public sealed record PluginFileRequest(string? PluginName, string? Content);

/// <summary>One file of <see cref="PluginDirectoryRequest"/>.</summary>
public sealed record PluginDirectoryFile(string? RelativePath, string? Content);

/// <summary><c>PUT /api/v3/plugins/directory</c>: a trigger's plugin directory replaced by these files, at once.</summary>
public sealed record PluginDirectoryRequest(string? PluginName, IReadOnlyList<PluginDirectoryFile>? Files);

/// <summary><c>GET /api/v3/plugins</c> in JSON.</summary>
public sealed record PluginListResponse(IReadOnlyList<PluginInfo> Plugins);

/// <summary>A plugin of the plugin directory: its language, entry points, the triggers using it, and whether it loads.</summary>
/// <param name="State">loaded, error or not loaded.</param>
public sealed record PluginInfo(string Name, string? Language, IReadOnlyList<string> EntryPoints, IReadOnlyList<PluginTriggerInfo> Triggers, string State, string? Error);

/// <summary>A trigger that runs a plugin.</summary>
public sealed record PluginTriggerInfo(string Database, string TriggerName, string TriggerSpecification, bool Disabled);

/// <summary><c>POST /api/v3/configure/plugin_environment/install_packages</c>.</summary>
public sealed record InstallPackagesRequest(IReadOnlyList<string>? Packages);

/// <summary><c>POST /api/v3/configure/plugin_environment/install_requirements</c>.</summary>
public sealed record InstallRequirementsRequest(string? RequirementsLocation);

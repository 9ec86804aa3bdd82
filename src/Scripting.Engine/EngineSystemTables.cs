using Scripting.Core.Catalog;
using Scripting.Core.Queries;
using Scripting.Engine.Logs;

namespace Scripting.Engine;

/// <summary>The engine's system tables (reference section 9).</summary>
internal static class EngineSystemTables
{
    public static void Register(SystemTables tables, SchemaCatalog catalog, PluginLogStore logs, Plugins.PluginLoader loader)
    {
        tables.Register("plugin_files", _ => new QueryResult(
            [
                new("plugin_name", QueryColumnType.String), new("file_name", QueryColumnType.String), new("file_path", QueryColumnType.String),
                new("size_bytes", QueryColumnType.Integer), new("last_modified", QueryColumnType.Integer),
            ],
            [.. PluginFiles(catalog, loader)]), SystemTables.Scope.Internal);

        tables.Register("processing_engine_triggers", database => new QueryResult(
            [
                new("trigger_name", QueryColumnType.String), new("plugin_filename", QueryColumnType.String),
                new("trigger_specification", QueryColumnType.String), new("disabled", QueryColumnType.Boolean),
                new("error_behavior", QueryColumnType.String), new("run_async", QueryColumnType.Boolean),
            ],
            Triggers(catalog, database).Select(t => new object?[]
            {
                t.Name, t.PluginFilename, t.Specification.ToStoredJson(), t.Disabled,
                t.Settings.ErrorBehavior.ToString().ToLowerInvariant(), t.Settings.RunAsync,
            }).ToList()));

        tables.Register("processing_engine_trigger_arguments", database => new QueryResult(
            [new("trigger_name", QueryColumnType.String), new("argument_key", QueryColumnType.String), new("argument_value", QueryColumnType.String)],
            Triggers(catalog, database)
                .SelectMany(t => (t.Arguments ?? new Dictionary<string, string>()).Select(a => new object?[] { t.Name, a.Key, a.Value }))
                .ToList()));

        tables.Register("processing_engine_logs", _ => new QueryResult(
            [new("event_time", QueryColumnType.Timestamp), new("trigger_name", QueryColumnType.String), new("log_level", QueryColumnType.String), new("log_text", QueryColumnType.String)],
            logs.Snapshot().Select(e => new object?[] { e.EventTimeNanoseconds, e.TriggerName, e.LevelName, e.Text }).ToList()));
    }

    /// <summary>One row per file of every trigger's plugin (a directory plugin has one per file), as InfluxDB 3 lists them in <c>_internal</c>.</summary>
    private static IEnumerable<object?[]> PluginFiles(SchemaCatalog catalog, Plugins.PluginLoader loader)
    {
        foreach (var trigger in catalog.Triggers.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            string path;
            try
            {
                path = loader.Resolve(trigger.PluginFilename);
            }
            catch (Core.Errors.ScriptingException)
            {
                continue;
            }

            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
                : File.Exists(path) ? [path] : [];
            foreach (var file in files)
            {
                var info = new FileInfo(file);
                var name = Directory.Exists(path) ? Path.GetRelativePath(path, file) : Path.GetFileName(file);
                yield return [trigger.Name, name, info.FullName, info.Length, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds()];
            }
        }
    }

    private static IEnumerable<Core.Triggers.TriggerDefinition> Triggers(SchemaCatalog catalog, string database) =>
        (catalog.Find(database)?.Triggers.Values ?? []).OrderBy(t => t.Name, StringComparer.Ordinal);
}

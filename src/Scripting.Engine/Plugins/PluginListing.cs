using Scripting.Core.Catalog;
using Scripting.Core.Plugins;

namespace Scripting.Engine.Plugins;

/// <summary>A trigger that uses a plugin.</summary>
public sealed record PluginTriggerUse(string Database, string TriggerName, string TriggerSpecification, bool Disabled);

/// <summary>A plugin of the plugin dir, as <c>show plugins</c> lists it.</summary>
/// <param name="Name">The name triggers use (path relative to the plugin dir, with '/').</param>
/// <param name="Language">csharp or python.</param>
/// <param name="EntryPoints">The entry points the running version defines.</param>
/// <param name="State">loaded, or error when the plugin (or its newest version) does not load.</param>
/// <param name="Error">Why it does not load, with the position (file:line:col) when the language gives one.</param>
public sealed record PluginSummary(string Name, string? Language, IReadOnlyList<string> EntryPoints, IReadOnlyList<PluginTriggerUse> Triggers, string State, string? Error);

/// <summary>
/// Lists the plugins of the plugin dir: single files in any subdirectory, and directory plugins (a
/// directory its runtime recognises, not descended into). Each is loaded through the loader, so the
/// state shown is the one the next run would meet.
/// </summary>
public sealed class PluginListing(PluginLoader loader, SchemaCatalog catalog)
{
    public IReadOnlyList<PluginSummary> List()
    {
        var root = loader.PluginDirectory ?? throw new Core.Errors.ScriptingException(Core.Errors.ErrorKind.BadRequest, "Plugin error: Node not configured with plugin directory (start the server with --plugin-dir)");
        var uses = catalog.Triggers
            .GroupBy(t => t.PluginFilename.Replace('\\', '/').Trim('/'), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => new PluginTriggerUse(t.Database, t.Name, t.Specification.ToString(), t.Disabled)).ToList(), StringComparer.Ordinal);
        return Find(root, root)
            .Select(name =>
            {
                var (language, entryPoints, error) = loader.Inspect(name);
                var names = Enum.GetValues<EntryPoints>().Where(e => e != EntryPoints.None && entryPoints.HasFlag(e)).Select(EntryPointSignatures.Name).ToList();
                return new PluginSummary(name, language, names, uses.GetValueOrDefault(name) ?? [], error is null ? "loaded" : "error", error);
            })
            .ToList();
    }

    /// <summary>False for a link that leads out of the plugin dir: what it points to is not a plugin here.</summary>
    private bool Inside(string relative)
    {
        try
        {
            loader.PathInside(relative);
            return true;
        }
        catch (Core.Errors.ScriptingException)
        {
            return false;
        }
    }

    private IEnumerable<string> Find(string root, string directory)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (name.StartsWith('.') || name == "__pycache__")
            {
                continue;
            }

            var relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
            if (!Inside(relative))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                if (loader.RuntimeFor(entry) is not null)
                {
                    yield return relative;
                    continue;
                }

                foreach (var nested in Find(root, entry))
                {
                    yield return nested;
                }
            }
            else if (loader.RuntimeFor(entry) is not null)
            {
                yield return relative;
            }
        }
    }
}

using System.Text;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Plugins;
using Scripting.Core.Triggers;

namespace Scripting.Engine.Plugins;

/// <summary>A file of a multi-file plugin, by its path inside the plugin's directory.</summary>
public sealed record PluginFile(string RelativePath, string Content);

/// <summary>
/// Writes plugin files into the plugin dir (the plugin file endpoints). Every name is checked to stay inside the
/// plugin dir. Writes are atomic: a file is written beside its target and renamed over it, and a
/// directory is assembled beside the old one and swapped in, so a reload never sees half a file or half
/// a plugin; the next run loads the new version.
/// </summary>
public sealed class PluginFiles(PluginLoader loader, SchemaCatalog catalog)
{
    /// <summary>Creates or replaces <paramref name="name"/> (parent directories are created).</summary>
    public string Write(string name, string content)
    {
        var path = loader.PathInside(name);
        if (Directory.Exists(path))
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: '{name}' is a directory; replace a multi-file plugin with PUT /api/v3/plugins/directory");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteAtomically(path, content);
        return path;
    }

    /// <summary>Replaces the plugin of the trigger named <paramref name="triggerName"/> (its entry file, for a directory plugin).</summary>
    public string ReplaceTriggerPlugin(string triggerName, string content)
    {
        var trigger = FindTrigger(triggerName);
        var path = loader.Resolve(trigger.PluginFilename);
        if (Directory.Exists(path))
        {
            var runtime = loader.RuntimeFor(path) ?? throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: no runtime runs the directory '{trigger.PluginFilename}'");
            path = runtime.Locate(path).EntryFile;
        }

        WriteAtomically(path, content);
        return path;
    }

    /// <summary>Replaces the directory plugin of the trigger named <paramref name="triggerName"/> with <paramref name="files"/>, all at once.</summary>
    public string ReplaceTriggerDirectory(string triggerName, IReadOnlyList<PluginFile> files)
    {
        var trigger = FindTrigger(triggerName);
        var directory = loader.PathInside(trigger.PluginFilename);
        if (File.Exists(directory))
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: the plugin of trigger '{triggerName}' is the file '{trigger.PluginFilename}', not a directory; replace it with PUT /api/v3/plugins/files");
        }

        var parent = Path.GetDirectoryName(directory)!;
        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.new-{Guid.NewGuid():N}");
        var retired = Path.Combine(parent, $".{Path.GetFileName(directory)}.old-{Guid.NewGuid():N}");
        try
        {
            foreach (var file in files)
            {
                var target = Inside(staging, file.RelativePath, trigger.PluginFilename);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, file.Content, Utf8);
            }

            if (loader.RuntimeFor(staging) is null)
            {
                throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: Multi-file plugin directory must contain {string.Join(" or ", loader.Languages.Select(l => $"{l.DirectoryEntryFile} ({l.DisplayName})"))}: {trigger.PluginFilename}");
            }

            if (Directory.Exists(directory))
            {
                Directory.Move(directory, retired);
            }

            try
            {
                Directory.Move(staging, directory);
            }
            catch
            {
                if (Directory.Exists(retired))
                {
                    Directory.Move(retired, directory);
                }

                throw;
            }
        }
        finally
        {
            foreach (var leftover in new[] { staging, retired }.Where(Directory.Exists))
            {
                Directory.Delete(leftover, recursive: true);
            }
        }

        return directory;
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private TriggerDefinition FindTrigger(string name) =>
        catalog.Triggers.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))
        ?? throw new ScriptingException(ErrorKind.NotFound, $"Plugin not found: no trigger named '{name}' (plugin_name names the trigger whose plugin is replaced)");

    /// <summary>A relative path inside <paramref name="directory"/>; refuses absolute paths and paths that climb out.</summary>
    private static string Inside(string directory, string relative, string plugin)
    {
        var full = Path.GetFullPath(Path.Combine(directory, relative));
        return string.IsNullOrWhiteSpace(relative) || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal)
            || !full.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: Path traversal detected: file '{relative}' of plugin '{plugin}' attempts to access files outside the plugin directory")
            : full;
    }

    private static void WriteAtomically(string path, string content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, content, Utf8);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Scripting.Core.Errors;
using Scripting.Core.Plugins;
using Scripting.Engine.Logs;

namespace Scripting.Engine.Plugins;

/// <summary>
/// Finds a plugin's files under the plugin dir, binds them to the runtime of their language, and keeps
/// the loaded version current (hot reload).
///
/// Design: before each run the loader compares the files' size and modification time with what it
/// loaded; only when they differ does it read the files and hash their content, and only a new hash
/// loads a new version. A version that fails to load leaves the last good one running and the error is
/// logged once. Runs hold a lease on the version they started with, so an edit never changes code under
/// a running call; a superseded version is released to its runtime when its last lease ends.
/// </summary>
public sealed class PluginLoader(string? pluginDirectory, IEnumerable<IPluginRuntime> runtimes, PluginLogStore logs, ILogger<PluginLoader> logger)
{
    private readonly IReadOnlyList<IPluginRuntime> _runtimes = [.. runtimes];
    private readonly Dictionary<string, PluginState> _plugins = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string? PluginDirectory { get; } = pluginDirectory is null ? null : Path.GetFullPath(pluginDirectory);

    /// <summary>The absolute path of a plugin; refuses absolute names and names that climb out of the plugin dir.</summary>
    public string Resolve(string name)
    {
        var full = PathInside(name);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: reading plugin file: Plugin not found: {full}");
        }

        return full;
    }

    /// <summary>
    /// The absolute path <paramref name="name"/> stands for inside the plugin dir, whether or not it exists;
    /// refuses absolute names, names that climb out (also through a symbolic link) and NUL characters.
    /// </summary>
    public string PathInside(string name)
    {
        if (PluginDirectory is null)
        {
            throw new ScriptingException(ErrorKind.BadRequest, "Plugin error: Node not configured with plugin directory (start the server with --plugin-dir)");
        }

        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: Path traversal detected: plugin filename '{name}' must be a path relative to the plugin directory");
        }

        var full = Path.GetFullPath(Path.Combine(PluginDirectory, name)).TrimEnd(Path.DirectorySeparatorChar);
        if (!full.StartsWith(PluginDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal) || EscapesThroughLink(full))
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: Path traversal detected: plugin filename '{name}' attempts to access files outside the plugin directory");
        }

        return full;
    }

    /// <summary>True when a directory on the way from the plugin dir to <paramref name="full"/> is a link that leads outside it.</summary>
    private bool EscapesThroughLink(string full)
    {
        for (var path = full; path.Length > PluginDirectory!.Length; path = Path.GetDirectoryName(path)!)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                && !Path.GetFullPath(target.FullName).StartsWith(PluginDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The state of a plugin as the loader sees it now (loading it if it changed): its runtime's language,
    /// the entry points of the version that runs, and the error of its newest version if that failed.
    /// </summary>
    public (string? Language, EntryPoints EntryPoints, string? Error) Inspect(string name)
    {
        try
        {
            using var lease = Acquire(name);
            return (lease.Language, lease.Code.EntryPoints, LastError(name));
        }
        catch (Exception error) when (error is PluginLoadException or ScriptingException)
        {
            var path = PathInside(name);
            return (_runtimes.FirstOrDefault(r => r.CanRun(path))?.Language.Name, EntryPoints.None, error.Message);
        }
    }

    /// <summary>The runtime that runs the plugin at <paramref name="path"/>, if any.</summary>
    public IPluginRuntime? RuntimeFor(string path) => _runtimes.FirstOrDefault(r => r.CanRun(path));

    /// <summary>The languages this engine runs, in registration order.</summary>
    public IEnumerable<PluginLanguage> Languages => _runtimes.Select(r => r.Language);

    /// <summary>Loads (or reuses) the current version and leases it for one run.</summary>
    public PluginLease Acquire(string name)
    {
        PluginState state;
        lock (_gate)
        {
            if (!_plugins.TryGetValue(name, out state!))
            {
                _plugins[name] = state = new PluginState();
            }
        }

        // Fast path: the files found last time, checked by size and modification time only. The plugin
        // is resolved and its files listed again (which reads the entry file for #load) only on a change.
        var located = state.Located;
        if (located is null || Fingerprint(located.Path, located.Files) != located.Fingerprint)
        {
            located = Locate(name);
            state.Located = located;
        }

        lock (_gate)
        {
            if (state.LoadedFingerprint != located.Fingerprint)
            {
                state.LoadedFingerprint = located.Fingerprint;
                var version = ContentHash(located.Files);
                if (version != state.Current?.Source.Version && version != state.FailedVersion)
                {
                    Load(located.Runtime, state, new PluginSource(name, located.EntryFile, version));
                }
            }

            var current = state.Current ?? throw new PluginLoadException(state.LastError ?? $"plugin '{name}' could not be loaded");
            current.Leases++;
            return new PluginLease(this, current);
        }
    }

    private Located Locate(string name)
    {
        var path = Resolve(name);
        var runtime = _runtimes.FirstOrDefault(r => r.CanRun(path))
            ?? throw new ScriptingException(ErrorKind.BadRequest, $"Plugin error: no runtime runs '{name}': {string.Join("; ", _runtimes.Select(r => r.Language.Describe()))}");
        var (entryFile, files) = runtime.Locate(path);
        return new Located(path, runtime, entryFile, files, Fingerprint(path, files));
    }

    /// <summary>The last load error of a plugin, if its newest version failed.</summary>
    public string? LastError(string name)
    {
        lock (_gate)
        {
            return _plugins.TryGetValue(name, out var state) ? state.LastError : null;
        }
    }

    private void Load(IPluginRuntime runtime, PluginState state, PluginSource source)
    {
        try
        {
            var code = runtime.Load(source);
            var previous = state.Current;
            state.Current = new LoadedVersion(runtime, source, code);
            state.LastError = null;
            state.FailedVersion = null;
            if (previous is not null)
            {
                previous.Superseded = true;
                ReleaseIfUnused(previous);
                logger.LogInformation("plugin '{Plugin}' reloaded (version {Version})", source.Name, source.Version[..12]);
            }
        }
        catch (PluginLoadException error)
        {
            state.LastError = error.Message;
            state.FailedVersion = source.Version;
            var keeps = state.Current is null ? string.Empty : "; the previous version keeps running";
            logs.Add(source.Name, PluginLogLevel.Error, $"error loading plugin {source.Name}: {error.Message}{keeps}");
        }
    }

    private void Return(LoadedVersion version)
    {
        lock (_gate)
        {
            version.Leases--;
            ReleaseIfUnused(version);
        }
    }

    private static void ReleaseIfUnused(LoadedVersion version)
    {
        if (version.Superseded && version.Leases == 0 && !version.Released)
        {
            version.Released = true;
            version.Runtime.Release(version.Code);
        }
    }

    /// <summary>Size and modification time of every file, and of the plugin directory (files added or removed).</summary>
    private static string Fingerprint(string path, IReadOnlyList<string> files) =>
        string.Join('|', files.Select(f => new FileInfo(f)).Select(f => f.Exists ? $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}" : $"{f.FullName}:missing"))
        + (Directory.Exists(path) ? $"|{Directory.GetLastWriteTimeUtc(path).Ticks}" : string.Empty);

    private static string ContentHash(IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file));
            if (File.Exists(file))
            {
                hash.AppendData(File.ReadAllBytes(file));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private sealed record Located(string Path, IPluginRuntime Runtime, string EntryFile, IReadOnlyList<string> Files, string Fingerprint);

    private sealed class PluginState
    {
        public volatile Located? Located;
        public string? LoadedFingerprint { get; set; }
        public LoadedVersion? Current { get; set; }
        public string? LastError { get; set; }
        public string? FailedVersion { get; set; }
    }

    internal sealed class LoadedVersion(IPluginRuntime runtime, PluginSource source, IPluginCode code)
    {
        public IPluginRuntime Runtime { get; } = runtime;
        public PluginSource Source { get; } = source;
        public IPluginCode Code { get; } = code;
        public int Leases { get; set; }
        public bool Superseded { get; set; }
        public bool Released { get; set; }
    }

    /// <summary>One run's hold on a loaded version; dispose when the run ends.</summary>
    public sealed class PluginLease : IDisposable
    {
        private readonly PluginLoader _loader;
        private LoadedVersion? _version;

        internal PluginLease(PluginLoader loader, LoadedVersion version)
        {
            _loader = loader;
            _version = version;
        }

        public IPluginCode Code => _version?.Code ?? throw new ObjectDisposedException(nameof(PluginLease));

        public string Language => _version?.Runtime.Language.Name ?? string.Empty;

        public string Version => _version?.Source.Version ?? string.Empty;

        public void Dispose()
        {
            var version = Interlocked.Exchange(ref _version, null);
            if (version is not null)
            {
                _loader.Return(version);
            }
        }
    }
}

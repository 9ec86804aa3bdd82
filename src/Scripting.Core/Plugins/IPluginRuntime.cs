using Scripting.PluginApi;

namespace Scripting.Core.Plugins;

[Flags]
public enum EntryPoints
{
    None = 0,
    ProcessWrites = 1,
    ProcessScheduledCall = 2,
    ProcessRequest = 4,
}

/// <summary>One version of a plugin's files, as the loader found them.</summary>
/// <param name="Name">The plugin name as given in the trigger (relative to the plugin dir).</param>
/// <param name="EntryFile">The file the runtime starts from (the file itself, or the language's entry file of a directory).</param>
/// <param name="Version">A hash of every file's content; a new hash means a new version.</param>
public sealed record PluginSource(string Name, string EntryFile, string Version);

/// <summary>What a request plugin receives.</summary>
public sealed record RequestInput(IReadOnlyDictionary<string, string> QueryParameters, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>A compiled plugin version, ready to call. Calls run on the caller's thread.</summary>
public interface IPluginCode
{
    EntryPoints EntryPoints { get; }

    void ProcessWrites(IInfluxDb3Local local, IReadOnlyList<TableBatch> batches, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation);

    void ProcessScheduledCall(IInfluxDb3Local local, DateTime callTime, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation);

    /// <summary>Returns what the plugin returned; the engine turns it into a response.</summary>
    object? ProcessRequest(IInfluxDb3Local local, RequestInput request, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation);
}

/// <summary>Runs the plugins of one language. Adding a language is one implementation of this.</summary>
public interface IPluginRuntime
{
    /// <summary>The language's name and file conventions.</summary>
    PluginLanguage Language { get; }

    /// <summary>True when <paramref name="path"/> (a file, or a directory) is a plugin of this language.</summary>
    bool CanRun(string path) => Language.Recognizes(path);

    /// <summary>The entry file of a plugin at <paramref name="path"/>, and every file whose content makes up its version.</summary>
    (string EntryFile, IReadOnlyList<string> Files) Locate(string path);

    /// <summary>Compiles or imports one version.</summary>
    /// <exception cref="PluginLoadException">The code does not compile or import; the message gives file:line:col.</exception>
    IPluginCode Load(PluginSource source);

    /// <summary>Called once the engine no longer runs <paramref name="code"/>, so its memory can be released.</summary>
    void Release(IPluginCode code);

    /// <summary>
    /// Memory this language's plugins hold that neither the .NET heap nor malloc accounts for (Python's
    /// object arenas); the engine adds it when it measures plugin memory. 0 when there is none.
    /// </summary>
    long ArenaBytes => 0;
}

/// <summary>A plugin that cannot be loaded: compile errors, import errors, missing files.</summary>
public sealed class PluginLoadException : Exception
{
    public PluginLoadException(string message)
        : base(message)
    {
    }

    public PluginLoadException()
    {
    }

    public PluginLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The entry points, written once: their names (as InfluxDB 3's plugins define them) and signatures (as
/// error messages show them). The runtimes bind and look up plugins' functions by these names; the
/// Python half of the runtime gets the list from here.
/// </summary>
public static class EntryPointSignatures
{
    public static readonly IReadOnlyList<(EntryPoints EntryPoint, string Name, string Signature)> All =
    [
        (EntryPoints.ProcessWrites, "process_writes", "process_writes(influxdb3_local, table_batches, args=None)"),
        (EntryPoints.ProcessScheduledCall, "process_scheduled_call", "process_scheduled_call(influxdb3_local, call_time, args=None)"),
        (EntryPoints.ProcessRequest, "process_request", "process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None)"),
    ];

    public static string Describe(EntryPoints entryPoint) => Of(entryPoint).Signature;

    public static string Name(EntryPoints entryPoint) => Of(entryPoint).Name;

    public static string Missing(EntryPoints entryPoint) =>
        $"the {Name(entryPoint)} function is not present in the plugin. Should be defined as: {Describe(entryPoint)}";

    private static (EntryPoints EntryPoint, string Name, string Signature) Of(EntryPoints entryPoint) =>
        All.Single(e => e.EntryPoint == entryPoint);
}

/// <summary>
/// A plugin's code raised an error during a run. <see cref="Exception.Message"/> is "Type: message", as the
/// logs show it; <see cref="Traceback"/> says where (file and line), when the language reports it.
/// </summary>
public sealed class PluginCodeException : Exception
{
    public PluginCodeException(string message, string? traceback, string? requestMessage = null)
        : base(message)
    {
        Traceback = traceback;
        RequestMessage = requestMessage;
    }

    public PluginCodeException()
    {
    }

    public PluginCodeException(string message)
        : base(message)
    {
    }

    public PluginCodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The stack at the failure, innermost call last; null when unknown.</summary>
    public string? Traceback { get; }

    /// <summary>What a request plugin's 500 body says, when the language words it differently from the log.</summary>
    public string? RequestMessage { get; }
}

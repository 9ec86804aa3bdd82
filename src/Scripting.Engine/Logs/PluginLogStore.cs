using Microsoft.Extensions.Logging;
using Scripting.Core.Time;

namespace Scripting.Engine.Logs;

public enum PluginLogLevel
{
    Info,
    Warn,
    Error,
}

public sealed record PluginLogEntry(long EventTimeNanoseconds, string TriggerName, PluginLogLevel Level, string Text)
{
    public string LevelName => Level switch { PluginLogLevel.Info => "INFO", PluginLogLevel.Warn => "WARN", _ => "ERROR" };
}

/// <summary>
/// The last 10,000 plugin and engine log lines, behind <c>system.processing_engine_logs</c>, oldest first.
/// Lines are also echoed to the server log as "processing engine: ...".
/// </summary>
public sealed class PluginLogStore(TimeProvider time, ILogger<PluginLogStore> logger)
{
    public const int Capacity = 10_000;
    private readonly Queue<PluginLogEntry> _entries = new();
    private readonly Lock _gate = new();

    public void Add(string trigger, PluginLogLevel level, string text)
    {
        var entry = new PluginLogEntry(UnixNanoseconds.Now(time), trigger, level, text);
        lock (_gate)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }

        var logLevel = level switch { PluginLogLevel.Info => LogLevel.Information, PluginLogLevel.Warn => LogLevel.Warning, _ => LogLevel.Error };
        logger.Log(logLevel, "processing engine: [{Trigger}] {Text}", trigger, text);
    }

    public IReadOnlyList<PluginLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }
}

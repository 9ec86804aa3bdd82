using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.Engine.Triggers;

/// <summary>What one run of a plugin is given.</summary>
public abstract record Invocation(EntryPoints EntryPoint, string Kind)
{
    /// <summary>The generation of the writes that started the run (0 for schedules and requests); its own writes are one more.</summary>
    public int Generation { get; init; }

    /// <summary>The INFO line logged when the run starts.</summary>
    public abstract string StartMessage { get; }
}

public sealed record WritesInvocation(IReadOnlyList<TableBatch> Batches) : Invocation(EntryPoints.ProcessWrites, "wal plugin")
{
    public override string StartMessage => "starting execution of wal plugin.";
}

public sealed record ScheduleInvocation(DateTimeOffset CallTime) : Invocation(EntryPoints.ProcessScheduledCall, "schedule plugin")
{
    public override string StartMessage => $"starting execution with scheduled time {CallTime.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";
}

public sealed record RequestInvocation(RequestInput Request) : Invocation(EntryPoints.ProcessRequest, "request plugin")
{
    public override string StartMessage => "starting execution of request plugin.";
}

/// <summary>A run that failed; the message is what the logs and a request's 500 body show.</summary>
public sealed class PluginRunException(string message) : Exception(message)
{
    public PluginRunException(string message, string? traceback, string? requestMessage)
        : this(message)
    {
        Traceback = traceback;
        RequestMessage = requestMessage;
    }

    /// <summary>Where the plugin failed (file and line), logged after the message; null when unknown.</summary>
    public string? Traceback { get; }

    /// <summary>A request plugin's 500 body, when it differs from <see cref="Exception.Message"/>.</summary>
    public string? RequestMessage { get; }

    /// <summary>The log line's text: the message, then the traceback.</summary>
    public string Logged => Traceback is null ? Message : $"{Message}\n{Traceback.TrimEnd()}";

    public PluginRunException()
        : this("plugin run failed")
    {
    }

    public PluginRunException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}

namespace Scripting.Core.Plugins;

/// <summary>
/// Writing lines a plugin has already built: what a runtime whose plugins build lines in their own
/// language (Python's duck-typed <c>line.build()</c>) needs of <c>influxdb3_local</c>. The engine's
/// implementation of <see cref="Scripting.PluginApi.IInfluxDb3Local"/> provides it.
/// </summary>
public interface IPluginLineWriter
{
    /// <summary>Queues a line, written after the plugin returns; null means the trigger's database.</summary>
    void QueueLine(string? database, string line);

    /// <summary>Writes a line now; null means the trigger's database.</summary>
    /// <exception cref="Scripting.PluginApi.InfluxDBError">The write was rejected.</exception>
    void WriteLineSync(string? database, string line, bool noSync);
}

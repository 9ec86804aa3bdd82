using Scripting.PluginApi;

namespace Scripting.CSharp.Tests;

/// <summary>Records what a plugin does with influxdb3_local.</summary>
internal sealed class FakeLocal(CancellationToken cancellation = default) : IInfluxDb3Local
{
    public List<string> Logs { get; } = [];
    public List<string> Writes { get; } = [];

    public IPluginCache Cache => throw new NotSupportedException();

    public CancellationToken Cancellation => cancellation;

    public void Info(params object?[] parts) => Logs.Add("INFO: " + string.Join(' ', parts));

    public void Warn(params object?[] parts) => Logs.Add("WARN: " + string.Join(' ', parts));

    public void Error(params object?[] parts) => Logs.Add("ERROR: " + string.Join(' ', parts));

    public void Write(LineBuilder line) => Writes.Add(line.Build());

    public void WriteToDb(string database, LineBuilder line) => Writes.Add(database + ": " + line.Build());

    public void WriteSync(LineBuilder line, bool noSync) => Write(line);

    public void WriteSyncToDb(string database, LineBuilder line, bool noSync) => WriteToDb(database, line);

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, string>? args = null, string? database = null) => [];
}

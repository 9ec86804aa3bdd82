using System.Globalization;
using Scripting.Core.Errors;
using Scripting.Core.Plugins;
using Scripting.Core.Queries;
using Scripting.Engine.Logs;
using Scripting.PluginApi;

namespace Scripting.Engine.Local;

/// <summary>
/// The one implementation of <c>influxdb3_local</c>, made per run. Queued writes are kept per database
/// and written by <see cref="FlushAsync"/> once the plugin has returned; a failed run never flushes.
/// </summary>
public sealed class InfluxDb3Local(
    string database,
    string trigger,
    PluginLogStore logs,
    ILineSink writer,
    IQueryExecutor queries,
    IPluginCache cache,
    CancellationToken cancellation,
    int outputGeneration = 1) : IInfluxDb3Local, IPluginLineWriter
{
    private readonly Dictionary<string, List<string>> _queued = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IPluginCache Cache => cache;

    public CancellationToken Cancellation => cancellation;

    public void Info(params object?[] parts) => logs.Add(trigger, PluginLogLevel.Info, Join(parts));

    public void Warn(params object?[] parts) => logs.Add(trigger, PluginLogLevel.Warn, Join(parts));

    public void Error(params object?[] parts) => logs.Add(trigger, PluginLogLevel.Error, Join(parts));

    public void Write(LineBuilder line) => WriteToDb(database, line);

    public void WriteToDb(string database, LineBuilder line)
    {
        ArgumentNullException.ThrowIfNull(line);
        QueueLine(database, line.Build());
    }

    public void QueueLine(string? database, string line)
    {
        var target = database ?? this.Database;
        lock (_gate)
        {
            if (!_queued.TryGetValue(target, out var lines))
            {
                _queued[target] = lines = [];
            }

            lines.Add(line);
        }
    }

    public void WriteSync(LineBuilder line, bool noSync) => WriteSyncToDb(database, line, noSync);

    public void WriteSyncToDb(string database, LineBuilder line, bool noSync)
    {
        ArgumentNullException.ThrowIfNull(line);
        WriteLineSync(database, line.Build(), noSync);
    }

    public void WriteLineSync(string? database, string line, bool noSync)
    {
        try
        {
            writer.WriteAsync(database ?? this.Database, [line], noSync, outputGeneration, cancellation).GetAwaiter().GetResult();
        }
        catch (ScriptingException error)
        {
            throw new InfluxDBError(error.Message);
        }
    }

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IReadOnlyDictionary<string, string>? args = null, string? database = null)
    {
        var target = database ?? this.Database;
        try
        {
            var parameters = args?.ToDictionary(a => a.Key.TrimStart('$'), a => (object?)a.Value, StringComparer.Ordinal) ?? [];
            var result = queries.QueryAsync(target, sql, parameters, cancellation).GetAwaiter().GetResult();
            return result.Rows.Select(row =>
            {
                var values = new Dictionary<string, object?>(row.Length, StringComparer.Ordinal);
                for (var i = 0; i < row.Length; i++)
                {
                    values[result.Columns[i].Name] = row[i];
                }

                return (IReadOnlyDictionary<string, object?>)values;
            }).ToList();
        }
        catch (ScriptingException error)
        {
            throw new QueryError($"error: {error.Message} executing query on {target}: {sql}");
        }
    }

    private string Database => database;

    /// <summary>The queued writes, per database, in the order they were queued.</summary>
    public IReadOnlyDictionary<string, List<string>> Queued
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, List<string>>(_queued);
            }
        }
    }

    /// <summary>Writes what the plugin queued; a failure is logged, never thrown at the plugin.</summary>
    public async Task FlushAsync(string kind)
    {
        foreach (var (target, lines) in Queued)
        {
            try
            {
                await writer.WriteAsync(target, lines, noSync: false, outputGeneration);
            }
            catch (Exception error) when (error is ScriptingException or InvalidOperationException)
            {
                logs.Add(trigger, PluginLogLevel.Error, $"error running {kind}: error writing back lines to {target}: {error.Message}");
            }
        }
    }

    private static string Join(object?[] parts) =>
        string.Join(' ', parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture) ?? "None"));
}

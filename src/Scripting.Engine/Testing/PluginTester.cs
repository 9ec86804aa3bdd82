using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.LineProtocol;
using Scripting.Core.Queries;
using Scripting.Core.Time;
using Scripting.Core.Triggers;
using Scripting.Core.Writes;
using Scripting.Engine.Local;
using Scripting.Engine.Logs;
using Scripting.Engine.Scheduling;
using Scripting.Engine.Triggers;
using Scripting.PluginApi;

namespace Scripting.Engine.Testing;

/// <summary>What a dry run did: its log lines, the lines it would have written per database, and what went wrong.</summary>
/// <param name="TriggerTime">The scheduled instant a schedule dry run was called with (RFC 3339); null for write dry runs.</param>
public sealed record PluginTestResult(
    IReadOnlyList<string> LogLines,
    IReadOnlyDictionary<string, List<string>> DatabaseWrites,
    IReadOnlyList<string> Errors,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? TriggerTime = null);

/// <summary>
/// Dry runs of a plugin (InfluxDB 3's <c>test</c> commands), in any language: the plugin runs as under a trigger, on the
/// same loader, runner and deadline, with real queries, but nothing is written. Its writes are kept
/// (sync writes first, then queued ones) and checked against the catalog; its log lines are returned
/// instead of going to the system table. A plugin's failure is reported in <c>errors</c>, not as an
/// HTTP error.
/// </summary>
public sealed class PluginTester(PluginRunner runner, SchemaCatalog catalog, WritePath writes, IQueryExecutor queries, PluginCacheStore caches, TimeProvider time)
{
    private const string DefaultCacheName = "_shared_test";

    /// <summary>Runs <c>process_writes</c> with the rows of <paramref name="inputLineProtocol"/> (nanosecond precision, all or nothing).</summary>
    public async Task<PluginTestResult> TestWritesAsync(string pluginFilename, string database, string inputLineProtocol, IReadOnlyDictionary<string, string>? arguments, string? cacheName)
    {
        runner.Loader.Resolve(pluginFilename);
        var check = writes.Check(database, Encoding.UTF8.GetBytes(inputLineProtocol), Precision.Nanosecond, acceptPartial: false, dryRun: true);
        switch (check.Refusal)
        {
            case WriteRefusal.InvalidDatabase:
                return Failed($"database name {database} is invalid: {check.Reason}");
            case WriteRefusal.Parse or WriteRefusal.Schema:
                return Failed($"line protocol parse failed: line {check.Line!.LineNumber}: {check.Line.Message}");
        }

        List<TableBatch> batches = check.Write is { } input ? TableBatches.From([input], new TriggerSpecification(TriggerKind.AllTables, string.Empty)) : [];
        return await RunAsync(pluginFilename, database, new WritesInvocation(batches), arguments, cacheName, triggerTime: null);
    }

    /// <summary>
    /// Runs <c>process_scheduled_call</c> at the next fire time of <paramref name="schedule"/>: a cron
    /// expression (6 or 7 fields as upstream, 5 as Unix cron) or a <c>cron:</c>/<c>every:</c> specification;
    /// every second when absent. The database must exist.
    /// </summary>
    public async Task<PluginTestResult> TestScheduleAsync(string pluginFilename, string database, string? schedule, IReadOnlyDictionary<string, string>? arguments, string? cacheName)
    {
        runner.Loader.Resolve(pluginFilename);
        var text = string.IsNullOrWhiteSpace(schedule) ? "* * * * * *" : schedule.Trim();
        var specification = TriggerSpecification.Parse(text.StartsWith("every:", StringComparison.Ordinal) || text.StartsWith("cron:", StringComparison.Ordinal) ? text : "cron:" + text, out var error);
        if (specification is not { IsSchedule: true })
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"invalid schedule '{text}': {error ?? "expected a cron expression or every:DURATION"}");
        }

        if (catalog.Find(database) is null)
        {
            return new PluginTestResult([], new Dictionary<string, List<string>>(), ["couldn't find db"], null);
        }

        var callTime = FireTimes.Next(specification, time.GetUtcNow()) ?? throw new ScriptingException(ErrorKind.BadRequest, $"schedule '{text}' never fires");
        return await RunAsync(pluginFilename, database, new ScheduleInvocation(callTime), arguments, cacheName, Rfc3339(callTime));
    }

    private async Task<PluginTestResult> RunAsync(string pluginFilename, string database, Invocation invocation, IReadOnlyDictionary<string, string>? arguments, string? cacheName, string? triggerTime)
    {
        var logs = new PluginLogStore(time, NullLogger<PluginLogStore>.Instance);
        var capture = new CapturedWrites();
        var errors = new List<string>();
        const string Name = "test";
        logs.Add(Name, PluginLogLevel.Info, invocation.StartMessage);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (_, local) = await runner.ExecuteAsync(pluginFilename, arguments, invocation,
                (lease, cancellation) => new InfluxDb3Local(database, Name, logs, capture, queries, caches.ForTest(cacheName ?? DefaultCacheName, lease.Language), cancellation),
                CancellationToken.None);
            foreach (var (target, lines) in local.Queued)
            {
                capture.Add(target, lines);
            }

            logs.Add(Name, PluginLogLevel.Info, $"finished execution in {PluginRunner.Describe(Stopwatch.GetElapsedTime(started))}");
        }
        catch (PluginRunException failure)
        {
            errors.Add($"error executing plugin: {failure.Logged}");
        }

        errors.AddRange(Validate(capture.Writes));
        var logLines = logs.Snapshot().Select(entry => $"{entry.LevelName}: {entry.Text}").ToList();
        return new PluginTestResult(logLines, capture.Writes, errors, triggerTime);
    }

    /// <summary>Checks captured lines as the write path would, without writing or changing the catalog.</summary>
    private IEnumerable<string> Validate(IReadOnlyDictionary<string, List<string>> captured)
    {
        foreach (var (database, lines) in captured)
        {
            var check = writes.Check(database, Encoding.UTF8.GetBytes(string.Join('\n', lines)), Precision.Nanosecond, acceptPartial: false, dryRun: true);
            switch (check.Refusal)
            {
                case WriteRefusal.InvalidDatabase:
                    yield return $"database name {database} is invalid: {check.Reason}";
                    break;
                case WriteRefusal.Parse:
                    yield return $"line protocol parse error on write to db {database}: line {check.Line!.LineNumber}: {check.Line.Message}";
                    break;
                case WriteRefusal.Schema:
                    yield return $"Failed to validate output lines to db {database}: {check.Line!.Message}";
                    break;
            }
        }
    }

    private static PluginTestResult Failed(string error) => new([], new Dictionary<string, List<string>>(), [error]);

    /// <summary>RFC 3339 in UTC with Z, with fractional seconds only when there are any.</summary>
    private static string Rfc3339(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(instant.UtcTicks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);

    /// <summary>Lines a dry run would have written, per database in first-write order: sync writes as they happen, queued ones after the run.</summary>
    private sealed class CapturedWrites : ILineSink
    {
        private readonly Dictionary<string, List<string>> _writes = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public IReadOnlyDictionary<string, List<string>> Writes
        {
            get
            {
                lock (_gate)
                {
                    // Reported as they would be stored: one line per point.
                    return _writes.ToDictionary(w => w.Key, w => PointLines.Merge(w.Value), StringComparer.Ordinal);
                }
            }
        }

        public Task WriteAsync(string database, IReadOnlyList<string> lines, bool noSync, int generation, CancellationToken cancellationToken = default)
        {
            Add(database, lines);
            return Task.CompletedTask;
        }

        public void Add(string database, IEnumerable<string> lines)
        {
            lock (_gate)
            {
                if (!_writes.TryGetValue(database, out var list))
                {
                    _writes[database] = list = [];
                }

                list.AddRange(lines);
            }
        }
    }
}

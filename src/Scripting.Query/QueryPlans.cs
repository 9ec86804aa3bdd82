using System.Collections.Concurrent;
using Scripting.Core.Catalog;

namespace Scripting.Query;

/// <summary>A query as the store will run it: rendered text, the parameters and system tables it uses, InfluxDB's column names where the store's differ.</summary>
internal sealed record TranslatedQuery(string Sql, IReadOnlyList<string> Parameters, IReadOnlyList<string> SystemTables, IReadOnlyList<string>? ColumnNames)
{
    /// <summary>The time zones of the result's zoned timestamp columns, by column name.</summary>
    public IReadOnlyDictionary<string, string> Zones { get; init; } = new Dictionary<string, string>();

    /// <summary>The result's columns that are a table's columns as they are (not computed from them), by name.</summary>
    public IReadOnlySet<string> Sources { get; init; } = new HashSet<string>();

    /// <summary>The result's columns that are durations (nanoseconds between two timestamps), by name.</summary>
    public IReadOnlySet<string> Durations { get; init; } = new HashSet<string>();

    /// <summary>Computed columns the result types as Int64, UInt64 or Float64, whatever width the store gives them.</summary>
    public IReadOnlyDictionary<string, string> Widths { get; init; } = new Dictionary<string, string>();

    private volatile bool _slow;

    /// <summary>Set once the text missed the express budget: its next runs wait for a place instead of trying again.</summary>
    public bool Slow
    {
        get => _slow;
        set => _slow = value;
    }
}

/// <summary>
/// Translations of recently seen query texts. Parsing and rendering through the store's parser cost about
/// 1.4 ms a query, more than a small query itself; dashboards and plugins send the same texts again and
/// again, with only parameter values changing (those are bound per run, never part of the text). A
/// translation depends on the text and on which tables the database has, so the key holds the database's
/// table set as well; refusals are not kept. The cache is bounded: past its size it starts over.
/// </summary>
internal sealed class QueryPlans
{
    private const int Capacity = 1_000;
    private readonly ConcurrentDictionary<(string Database, int Tables, string Sql), TranslatedQuery> _plans = new();

    public TranslatedQuery GetOrAdd(DatabaseDefinition database, string sql, Func<TranslatedQuery> translate)
    {
        var key = (database.Name, TableSet(database), sql);
        if (_plans.TryGetValue(key, out var known))
        {
            return known;
        }

        var translated = translate();
        if (_plans.Count >= Capacity)
        {
            _plans.Clear();
        }

        _plans[key] = translated;
        return translated;
    }

    private static int TableSet(DatabaseDefinition database)
    {
        var hash = 0;
        foreach (var name in database.Tables.Keys)
        {
            hash ^= StringComparer.Ordinal.GetHashCode(name);
        }

        return HashCode.Combine(database.Tables.Count, hash);
    }
}

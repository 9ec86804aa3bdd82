using System.Text.Json.Nodes;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Queries;
using Scripting.Query.Limits;
using Scripting.Query.Results;
using Scripting.Query.Statements;
using Scripting.Query.Syntax;

namespace Scripting.Query;

/// <summary>
/// The one way into the store for SQL, whoever asks (the HTTP API, plugins, every output format):
/// parse (<see cref="StatementParser"/>, then the store's parser for the query itself), check and translate
/// (<see cref="SelectTree"/>), run (the store's read-only executor, within <see cref="QueryLimits"/>),
/// stream (<see cref="QueryCursor"/> batches). Refusals happen before a query takes a place or reaches the store.
/// </summary>
public sealed class QueryLayer(ISqlEngine engine, SchemaCatalog catalog, SystemTables systemTables, QueryLimits limits, TimeProvider time) : IQueryExecutor
{
    private static readonly string[] ExplainColumns = ["plan_type", "plan"];

    /// <summary>How often a waiting query looks for a free express place.</summary>
    private static readonly TimeSpan ExpressPoll = TimeSpan.FromMilliseconds(10);
    private readonly QueryGate _gate = new(limits);
    private readonly SystemTables _systemTables = InformationSchema.RegisterIn(systemTables, catalog);
    private readonly QueryLog _log = Logged(systemTables, time);

    /// <summary>The last queries of each database (<c>system.queries</c>).</summary>
    public QueryLog Log => _log;
    private readonly QueryPlans _plans = new();

    public QueryLimits Limits => limits;

    /// <summary>Queries running now.</summary>
    public int Running => _gate.Running;

    /// <summary>Parses, checks and translates <paramref name="sql"/> into the statement the store will run, with the parameters it uses bound.</summary>
    public PlannedQuery Plan(string database, string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        var translated = Translated(database, sql);
        var bound = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in translated.Parameters)
        {
            bound[name] = parameters.TryGetValue(name, out var value)
                ? value
                : throw new ScriptingException(ErrorKind.BadRequest, $"no value given for the query parameter '${name}': pass it in 'params'");
        }

        return new PlannedQuery(new CheckedStatement(translated.Sql, bound, translated.SystemTables), translated.ColumnNames) { Translation = translated };
    }

    /// <summary>The <c>$name</c> parameters <paramref name="sql"/> takes, in the order they first appear; planning errors are thrown.</summary>
    public IReadOnlyList<string> ParameterNames(string database, string sql) => Translated(database, sql).Parameters;

    /// <summary>
    /// Opens <paramref name="sql"/> for its columns only: the cursor's schema is the result's, and it holds no
    /// rows. Parameters without a value are bound to NULL. Null for a statement whose columns only running it
    /// tells (EXPLAIN). For Flight SQL, which announces a result's schema before the result.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="sql">The query.</param>
    /// <param name="parameters">Values of its parameters; those missing are NULL.</param>
    /// <param name="cancellationToken">Stops it.</param>
    /// <param name="gated">
    /// False for the columns of a query that already holds a place (no rows are computed, so it need not
    /// wait for another).
    /// </param>
    public async Task<QueryCursor?> DescribeAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken, bool gated = true)
    {
        var translated = Translated(database, sql);
        if (ReferenceEquals(translated.ColumnNames, ExplainColumns))
        {
            return null;
        }

        var bound = translated.Parameters.ToDictionary(name => name, name => parameters.GetValueOrDefault(name), StringComparer.Ordinal);
        var statement = new CheckedStatement($"SELECT * FROM ({translated.Sql}) AS described LIMIT 0", bound, translated.SystemTables);
        var plan = new PlannedQuery(statement, translated.ColumnNames) { Translation = translated };
        return await StartAsync(database, plan, gated ? await _gate.EnterAsync(cancellationToken) : NoPlace.Instance, null, cancellationToken);
    }

    private sealed class NoPlace : IDisposable
    {
        public static readonly NoPlace Instance = new();

        public void Dispose()
        {
        }
    }

    private TranslatedQuery Translated(string database, string sql)
    {
        var definition = catalog.FindReadable(database) ?? throw new ScriptingException(ErrorKind.NotFound, $"query error: database not found: {database}");
        return _plans.GetOrAdd(definition, sql, () => Translate(definition, sql));
    }

    private TranslatedQuery Translate(DatabaseDefinition definition, string sql)
    {
        var statement = StatementParser.Parse(sql);
        var query = statement.Kind switch
        {
            StatementKind.ShowTables => "SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables",
            StatementKind.ShowColumns => "SELECT table_catalog, table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns " +
                                         $"WHERE table_name = {Literal(ExistingTable(definition, statement.Table!))} ORDER BY column_name",
            StatementKind.Describe => "SELECT column_name, data_type, is_nullable FROM information_schema.columns " +
                                      $"WHERE table_name = {Literal(ExistingTable(definition, statement.Table!))} ORDER BY column_name",
            _ => statement.Query,
        };

        var systemNames = new HashSet<string>(_systemTables.NamesIn(definition.Name), StringComparer.OrdinalIgnoreCase);
        var tree = JsonNode.Parse(engine.Parse(DialectText.Normalize(query))) ?? throw new ScriptingException(ErrorKind.Internal, "the parser returned nothing");
        var checkedTree = SelectTree.Check(tree, definition, systemNames, ParseStatement);
        var rendered = engine.Render(tree.ToJsonString());
        return statement.Kind == StatementKind.Explain
            ? new TranslatedQuery((statement.Analyze ? "EXPLAIN (ANALYZE, FORMAT json) " : "EXPLAIN (FORMAT json) ") + rendered, checkedTree.Parameters, checkedTree.UsedSystemTables, ExplainColumns)
            : new TranslatedQuery(rendered, checkedTree.Parameters, checkedTree.UsedSystemTables, null) { Zones = checkedTree.Zones, Durations = checkedTree.Durations, Sources = checkedTree.Sources, Widths = checkedTree.Widths };
    }

    private static QueryLog Logged(SystemTables systemTables, TimeProvider time)
    {
        var log = new QueryLog(time);
        systemTables.Register("queries", log.Read);
        return log;
    }

    private JsonObject ParseStatement(string sql) =>
        JsonNode.Parse(engine.Parse(sql))?["statements"]?[0]?.DeepClone().AsObject() ?? throw new ScriptingException(ErrorKind.Internal, "the parser returned nothing");

    /// <summary>Starts a query; the cursor streams its batches and must be disposed.</summary>
    /// <param name="timeout">Shortens the server's query timeout for this query; null keeps it.</param>
    public async Task<QueryCursor> OpenAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var entry = _log.Begin(database, "sql", sql);
        try
        {
            var cursor = await OpenLoggedAsync(database, sql, parameters, timeout, entry, cancellationToken);
            cursor.Log = entry;
            return cursor;
        }
        catch (Exception error)
        {
            entry.End(success: false, cancelled: error is OperationCanceledException);
            throw;
        }
    }

    private async Task<QueryCursor> OpenLoggedAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, TimeSpan? timeout, QueryLogEntry entry, CancellationToken cancellationToken)
    {
        var plan = Plan(database, sql, parameters);
        entry.Planned();
        if (_gate.TryEnter() is { } free)
        {
            entry.Permitted();
            return await StartAsync(database, plan, free, timeout, cancellationToken);
        }

        // Every place is taken: while it waits, a query gets one try on an express place, as soon as one
        // is free, and keeps it if it is quick (a small query need not wait behind heavy ones). A text that
        // missed the budget once does not try again, so a flood of one heavy query cannot hold the express
        // places with attempts.
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waiting = _gate.EnterAsync(stopWaiting.Token);
        while (!waiting.IsCompleted && plan.Translation is not { Slow: true })
        {
            if (_gate.TryEnterExpress() is { } express)
            {
                var quick = QueryCursor.Begin(token => engine.Execute(database, plan.Statement, token), new QueryDeadline(Limit(timeout), time, cancellationToken), express, plan.ColumnNames, plan.Translation?.Zones, plan.Translation?.Durations, plan.Translation?.Widths);
                if (await quick.ReadyWithinAsync(limits.ExpressBudget, time))
                {
                    entry.Permitted();
                    await stopWaiting.CancelAsync();
                    _ = waiting.ContinueWith(w => w.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                    await quick.StartedAsync();
                    quick.Sources = plan.Translation?.Sources ?? quick.Sources;
                    return quick;
                }

                await quick.DisposeAsync();
                plan.Translation?.Slow = true;
                break;
            }

            await Task.WhenAny(waiting, Task.Delay(ExpressPoll, time, cancellationToken));
        }

        var place = await waiting;
        entry.Permitted();
        return await StartAsync(database, plan, place, timeout, cancellationToken);
    }

    private async Task<QueryCursor> StartAsync(string database, PlannedQuery plan, IDisposable place, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var cursor = await QueryCursor.StartAsync(token => engine.Execute(database, plan.Statement, token), new QueryDeadline(Limit(timeout), time, cancellationToken), place, plan.ColumnNames, plan.Translation?.Zones, plan.Translation?.Durations, plan.Translation?.Widths);
        cursor.Sources = plan.Translation?.Sources ?? cursor.Sources;
        return cursor;
    }

    /// <summary>Writes the result as Parquet to <paramref name="destination"/> while the store produces it.</summary>
    public async Task ExportParquetAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, TimeSpan? timeout, Stream destination, CancellationToken cancellationToken)
    {
        var plan = Plan(database, sql, parameters);
        using var place = await _gate.EnterAsync(cancellationToken);
        using var deadline = new QueryDeadline(Limit(timeout), time, cancellationToken);
        try
        {
            await engine.ExportParquetAsync(database, plan.Statement, destination, deadline.Token);
        }
        catch (Exception error) when (deadline.Explain(error) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>The whole result in memory, for plugins' <c>influxdb3_local.query</c>.</summary>
    public async Task<QueryResult> QueryAsync(string database, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken = default)
    {
        await using var cursor = await OpenAsync(database, sql, parameters, null, cancellationToken);
        var rows = new List<object?[]>();
        while (await cursor.ReadNextAsync() is { } batch)
        {
            using (batch)
            {
                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new object?[batch.ColumnCount];
                    for (var c = 0; c < row.Length; c++)
                    {
                        row[c] = ArrowValues.Get(batch.Column(c), r);
                    }

                    rows.Add(row);
                }
            }
        }

        return new QueryResult(cursor.Columns, rows);
    }

    private TimeSpan Limit(TimeSpan? requested) => requested is { } shorter && shorter < limits.Timeout ? shorter : limits.Timeout;

    private static string ExistingTable(DatabaseDefinition database, string table) =>
        database.Tables.ContainsKey(table) ? table
        : database.Tables.Keys.SingleOrDefault(k => k.Equals(table, StringComparison.OrdinalIgnoreCase))
          ?? throw new ScriptingException(ErrorKind.BadRequest, $"Error during planning: table 'public.iox.{table}' not found");

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>A checked statement and, where the store's names differ from InfluxDB's, the names of its columns.</summary>
public sealed record PlannedQuery(CheckedStatement Statement, IReadOnlyList<string>? ColumnNames)
{
    internal TranslatedQuery? Translation { get; init; }
}

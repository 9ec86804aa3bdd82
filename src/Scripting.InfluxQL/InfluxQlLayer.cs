using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Time;
using Scripting.InfluxQL.Planning;
using Scripting.InfluxQL.Syntax;
using Scripting.Query;

namespace Scripting.InfluxQL;

/// <summary>
/// InfluxQL, as v1's <c>/query</c> answers it: the statements of a request are parsed together (a parse
/// error fails the request), then each runs on its own and gives a result or its error. Every read goes
/// through the SQL query layer, so its limits, log and cancellation apply.
/// </summary>
public sealed class InfluxQlLayer(QueryLayer queries, SchemaCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<StatementResult>> RunAsync(string? database, string text, CancellationToken cancellationToken)
    {
        var statements = Parser.ParseStatements(text);
        var now = UnixNanoseconds.Now(time);
        var show = new ShowStatements(queries, catalog, now);
        var planner = new SelectPlanner(queries, show, now);
        var results = new List<StatementResult>(statements.Count);
        for (var id = 0; id < statements.Count; id++)
        {
            try
            {
                results.Add(new StatementResult(id, await RunAsync(statements[id], database, show, planner, cancellationToken), null));
            }
            catch (ScriptingException error) when (error.Kind is ErrorKind.BadRequest or ErrorKind.NotFound)
            {
                results.Add(new StatementResult(id, [], error.Message));
            }
        }

        return results;
    }

    private static Task<IReadOnlyList<Series>> RunAsync(Statement statement, string? database, ShowStatements show, SelectPlanner planner, CancellationToken cancellationToken) => statement switch
    {
        ShowDatabasesStatement => show.DatabasesAsync(),
        ShowRetentionPoliciesStatement s => show.RetentionPoliciesAsync(Required(s.Database ?? database)),
        ShowMeasurementsStatement s => show.MeasurementsAsync(Required(s.Database ?? database), s, cancellationToken),
        ShowTagKeysStatement s => show.TagKeysAsync(Required(s.Database ?? database), s, cancellationToken),
        ShowTagValuesStatement s => show.TagValuesAsync(Required(s.Database ?? database), s, cancellationToken),
        ShowFieldKeysStatement s => show.FieldKeysAsync(Required(s.Database ?? database), s),
        ShowSeriesStatement s => show.SeriesAsync(Required(s.Database ?? database), s, cancellationToken),
        SelectStatement { Into: not null } => throw InfluxQlErrors.Invalid("This feature is not implemented: SELECT INTO"),
        SelectStatement s => planner.RunAsync(Required(database), s, cancellationToken),
        _ => throw InfluxQlErrors.Invalid("this statement is not served"),
    };

    private static string Required(string? database) =>
        string.IsNullOrEmpty(database) ? throw InfluxQlErrors.Invalid("database name required") : database;
}

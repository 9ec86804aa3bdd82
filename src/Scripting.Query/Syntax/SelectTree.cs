using System.Text.Json.Nodes;
using Scripting.Core.Catalog;
using Scripting.Core.Errors;
using Scripting.Core.Queries;

namespace Scripting.Query.Syntax;

/// <summary>
/// The check and translate steps of the pipeline, over the parser's syntax tree of one query (DuckDB's
/// JSON serialization of a SELECT statement). Check: every table reference resolves to one of the
/// database's tables, a common table expression in scope, <c>system.*</c>, <c>information_schema.*</c> or a
/// generator; nothing but query syntax appears (no DESCRIBE/PIVOT in FROM, no time travel); no function
/// that reads files, settings or the environment. Translate: tables get their stored names, an integer
/// compared with <c>time</c> is read with the line-protocol precision rule, <c>now()</c> compares with
/// <c>time</c> in UTC. The rendered tree, not the user's text, is what runs.
/// </summary>
internal sealed partial class SelectTree
{
    private static readonly HashSet<string> QueryNodes = ["SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"];
    private static readonly HashSet<string> AllowedTableRefs = ["BASE_TABLE", "JOIN", "SUBQUERY", "TABLE_FUNCTION", "EMPTY", "EXPRESSION_LIST"];
    private static readonly HashSet<string> Generators = new(StringComparer.OrdinalIgnoreCase) { "generate_series", "range", "unnest" };
    private static readonly HashSet<string> InformationSchemaTables = new(InformationSchema.Views, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> Comparisons =
        ["COMPARE_EQUAL", "COMPARE_NOTEQUAL", "COMPARE_LESSTHAN", "COMPARE_GREATERTHAN", "COMPARE_LESSTHANOREQUALTO", "COMPARE_GREATERTHANOREQUALTO"];

    private readonly DatabaseDefinition _database;
    private readonly ISet<string> _systemTables;
    private readonly List<string> _usedSystemTables = [];
    private readonly List<string> _parameters = [];

    private readonly ExpressionTypes _types;
    private readonly Semantics _semantics;

    private SelectTree(DatabaseDefinition database, ISet<string> systemTables, ExpressionTypes types)
    {
        _database = database;
        _systemTables = systemTables;
        _types = types;
        _semantics = new Semantics(types);
    }

    public IReadOnlyList<string> UsedSystemTables => _usedSystemTables;

    /// <summary>The result's columns that are a table's columns as they are: bare column references, and every column for <c>*</c>.</summary>
    public IReadOnlySet<string> Sources { get; private init; } = new HashSet<string>();

    /// <summary>The result's columns that are the difference of two timestamps, by name.</summary>
    public IReadOnlySet<string> Durations { get; private init; } = new HashSet<string>();

    /// <summary>The time zones of the result's zoned timestamp columns, by column name.</summary>
    public IReadOnlyDictionary<string, string> Zones { get; private init; } = new Dictionary<string, string>();

    /// <summary>Computed columns InfluxDB 3 types as Int64, UInt64 or Float64, by name, with that Arrow type name.</summary>
    public IReadOnlyDictionary<string, string> Widths { get; private init; } = new Dictionary<string, string>();

    /// <summary>The names of the <c>$name</c> parameters the query uses.</summary>
    public IReadOnlyList<string> Parameters => _parameters;

    /// <summary>Checks and translates the parser's output in place; throws a 400 naming what is not allowed.</summary>
    /// <param name="parse">Parses SQL of the translation's own into a statement (the wrapper a gap-filling query gets).</param>
    public static SelectTree Check(JsonNode parsed, DatabaseDefinition database, ISet<string> systemTables, Func<string, JsonObject> parse)
    {
        if (parsed["error"]?.GetValue<bool>() == true)
        {
            throw ParseError(parsed);
        }

        var statements = parsed["statements"]?.AsArray() ?? [];
        if (statements.Count != 1)
        {
            throw Refuse($"only one read-only statement per query: found {statements.Count}");
        }

        var statement = statements[0]!.AsObject();
        var types = ExpressionTypes.For(statement, database);
        var names = new ColumnNames(statement, database);
        var zones = ZonesOf(statement, names, types);
        var durations = DurationsOf(statement, names, types);
        var sources = SourcesOf(statement, database);
        var widths = WidthsOf(statement, names, types);
        var fill = GapFill.Prepare(statement, names.Of, types);
        names.Apply(statement);
        var tree = new SelectTree(database, systemTables, types) { Zones = zones, Durations = durations, Sources = sources, Widths = widths };
        tree.Walk(statement, Scope.Empty);
        if (fill is not null)
        {
            statements[0] = fill.Build(parse);
        }

        return tree;
    }

    private static ScriptingException ParseError(JsonNode parsed)
    {
        var type = parsed["error_type"]?.GetValue<string>();
        var message = parsed["error_message"]?.GetValue<string>() ?? "the query could not be parsed";
        if (type == "parser")
        {
            var position = parsed["position"]?.GetValue<string>();
            return Refuse($"error while parsing the query: {message}{(position is null ? string.Empty : $" (at character {int.Parse(position, System.Globalization.CultureInfo.InvariantCulture) + 1})")}");
        }

        return Refuse("only read-only queries are allowed: the statement is not a SELECT");
    }

    private void Walk(JsonNode? node, Scope scope)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    Walk(item, scope);
                }

                break;
            case JsonObject obj:
                WalkObject(obj, scope);
                break;
        }
    }

    private void WalkObject(JsonObject obj, Scope scope)
    {
        if (obj["class"] is JsonValue)
        {
            if (Expression(obj))
            {
                return;
            }
        }
        else if (obj["type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var type))
        {
            if (QueryNodes.Contains(type))
            {
                scope = scope.With(CteNames(obj));
            }
            else if (obj.ContainsKey("sample") || obj.ContainsKey("column_name_alias") || type is "SHOW_REF" or "PIVOT")
            {
                if (TableReference(obj, type, scope))
                {
                    return;
                }
            }
        }

        foreach (var (_, value) in obj.ToList())
        {
            Walk(value, scope);
        }
    }

    private static IEnumerable<string> CteNames(JsonObject queryNode) =>
        queryNode["cte_map"]?["map"]?.AsArray().Select(entry => entry?["key"]?.GetValue<string>()).OfType<string>() ?? [];

    /// <summary>Checks a FROM item; true when its children need no further walk.</summary>
    private bool TableReference(JsonObject table, string type, Scope scope)
    {
        if (!AllowedTableRefs.Contains(type))
        {
            throw Refuse(type switch
            {
                "SHOW_REF" => "DESCRIBE, SHOW and SUMMARIZE cannot be used inside a query; DESCRIBE <table> is a statement of its own",
                "PIVOT" => "PIVOT is not InfluxDB 3 SQL",
                _ => $"this kind of FROM item is not supported ({type.ToLowerInvariant()})",
            });
        }

        if (type == "TABLE_FUNCTION")
        {
            var name = table["function"]?["function_name"]?.GetValue<string>() ?? string.Empty;
            if (!Generators.Contains(name))
            {
                throw Refuse($"table function '{name}' is not allowed: FROM reads the database's tables, system.*, information_schema.* and the generators generate_series, range and unnest");
            }
        }
        else if (type == "BASE_TABLE")
        {
            Resolve(table, scope);
            return true;
        }

        return false;
    }

    /// <summary>Checks and translates an expression; true when it was replaced and needs no further walk.</summary>
    private bool Expression(JsonObject expression)
    {
        switch (Text(expression, "class"))
        {
            case "FUNCTION":
                FunctionRules.Check(expression);
                FunctionNames.Translate(expression);
                if (RegexOperators.Translate(expression) is { } match)
                {
                    ReplaceWith(expression, match);
                    return false;
                }

                if (_semantics.Function(expression) is { } evaluated)
                {
                    ReplaceWith(expression, evaluated);
                    return false;
                }

                if (Text(expression, "function_name").Equals("now", StringComparison.OrdinalIgnoreCase) && expression["children"]?.AsArray().Count == 0)
                {
                    ReplaceWith(expression, Nodes.Cast(Detach(expression), "TIMESTAMP"));
                    return true;
                }

                break;
            case "CONSTANT" when Semantics.Constant(expression) is { } floating:
                ReplaceWith(expression, floating);
                return true;
            case "CAST":
                _semantics.Cast(expression);
                break;
            case "PARAMETER":
                var parameter = Text(expression, "identifier");
                if (!_parameters.Contains(parameter))
                {
                    _parameters.Add(parameter);
                }

                break;
            case "COMPARISON" when Comparisons.Contains(Text(expression, "type")):
                TimeLiteral(expression, "left", "right");
                TimeLiteral(expression, "right", "left");
                break;
            case "BETWEEN" when IsTime(expression["input"]):
                TimeLiteral(expression, "input", "lower");
                TimeLiteral(expression, "input", "upper");
                break;
        }

        return false;
    }

    /// <summary>An integer compared with <c>time</c> is a timestamp in the precision its size suggests, as in line protocol.</summary>
    private static void TimeLiteral(JsonObject expression, string column, string literal)
    {
        if (IsTime(expression[column]) && expression[literal] is JsonObject constant && TimeLiterals.Nanoseconds(constant) is { } nanoseconds)
        {
            expression[literal] = Nodes.Timestamp(nanoseconds, constant["query_location"]?.DeepClone());
        }
    }

    private static bool IsTime(JsonNode? node) =>
        node is JsonObject { } column && Text(column, "class") == "COLUMN_REF"
        && column["column_names"]?.AsArray() is { Count: > 0 } names
        && names[^1]!.GetValue<string>().Equals("time", StringComparison.OrdinalIgnoreCase);

    private static JsonObject Detach(JsonObject expression)
    {
        var copy = expression.DeepClone().AsObject();
        copy["alias"] = string.Empty;
        return copy;
    }

    /// <summary>Replaces the content of <paramref name="target"/> by <paramref name="replacement"/>, keeping its alias.</summary>
    private static void ReplaceWith(JsonObject target, JsonObject replacement)
    {
        var alias = target["alias"]?.DeepClone();
        target.Clear();
        foreach (var (key, value) in replacement.ToList())
        {
            replacement.Remove(key);
            target[key] = value;
        }

        target["alias"] = alias;
    }

    internal static string Text(JsonObject node, string property) =>
        node[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;

    internal static ScriptingException Refuse(string message) => new(ErrorKind.BadRequest, message);

    /// <summary>The common table expressions visible at a point of the query.</summary>
    private sealed class Scope
    {
        public static readonly Scope Empty = new([]);
        private readonly HashSet<string> _names;

        private Scope(HashSet<string> names) => _names = names;

        public bool Contains(string name) => _names.Contains(name);

        public Scope With(IEnumerable<string> names)
        {
            var added = names.ToList();
            return added.Count == 0 ? this : new Scope(new HashSet<string>(_names.Concat(added), StringComparer.OrdinalIgnoreCase));
        }
    }
}

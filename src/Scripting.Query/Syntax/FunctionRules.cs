using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>
/// Functions a query may not call: those that read files, settings, the environment or the engine's own
/// catalog, or that change state. The store refuses file access on its own as well; this says why, first.
/// </summary>
internal static class FunctionRules
{
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        "getenv", "current_setting", "glob", "json_execute_serialized_sql", "query", "query_table",
        "sql_auto_complete", "which_secret", "nextval", "currval", "setval", "checkpoint", "force_checkpoint",
        "enable_logging", "disable_logging", "truncate_duckdb_logs", "enable_profiling", "disable_profiling",
        "current_database", "current_catalog", "current_schema", "current_schemas", "current_query",
        "icu_calendar_names", "test_all_types", "test_vector_types", "txid_current", "pg_typeof",
    };

    private static readonly string[] RefusedPrefixes = ["read_", "duckdb_", "pragma_", "parquet_", "sniff_", "iceberg_", "delta_", "sqlite_", "postgres_", "mysql_", "has_", "pg_"];

    public static void Check(JsonObject function)
    {
        var name = SelectTree.Text(function, "function_name");
        var catalog = SelectTree.Text(function, "catalog");
        var schema = SelectTree.Text(function, "schema");
        if (catalog.Length > 0 || (schema.Length > 0 && !schema.Equals("main", StringComparison.OrdinalIgnoreCase)))
        {
            throw SelectTree.Refuse($"function '{string.Join('.', new[] { catalog, schema, name }.Where(p => p.Length > 0))}' not found");
        }

        if (Refused.Contains(name) || RefusedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            throw SelectTree.Refuse($"function '{name}' is not allowed: queries read the database's tables only, not files, settings or the server's environment");
        }
    }
}

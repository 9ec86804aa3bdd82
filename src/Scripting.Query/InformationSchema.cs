using Scripting.Core.Catalog;
using Scripting.Core.Queries;

namespace Scripting.Query;

/// <summary>
/// InfluxDB 3's <c>information_schema</c>: the database's tables (schema <c>iox</c>), the system tables
/// (schema <c>system</c>) and its own views, in catalog <c>public</c>, with Arrow type names; read by
/// <c>SHOW TABLES</c>, <c>SHOW COLUMNS</c>, <c>DESCRIBE</c> and queries. Built from the catalog for the
/// query that reads it, through the same materialisation as the system tables.
/// </summary>
internal static class InformationSchema
{
    /// <summary>The views a query may read, in the order InfluxDB lists them.</summary>
    public static readonly string[] Views = ["tables", "views", "columns", "df_settings", "schemata"];

    private static readonly string[] Schemas = ["iox", "system", "information_schema"];

    private static readonly QueryColumn[] TableColumns = [Text("table_catalog"), Text("table_schema"), Text("table_name"), Text("table_type")];

    private static readonly QueryColumn[] ColumnColumns =
    [
        Text("table_catalog"), Text("table_schema"), Text("table_name"), Text("column_name"), Integer("ordinal_position"), Text("column_default"),
        Text("is_nullable"), Text("data_type"), Integer("character_maximum_length"), Integer("character_octet_length"), Integer("numeric_precision"),
        Integer("numeric_precision_radix"), Integer("numeric_scale"), Integer("datetime_precision"), Text("interval_type"),
    ];

    /// <summary>The name a view is materialised under.</summary>
    public static string Hidden(string view) => "information_schema." + view.ToLowerInvariant();

    /// <summary>Registers the views' readers with <paramref name="systemTables"/> and returns it.</summary>
    public static SystemTables RegisterIn(SystemTables systemTables, SchemaCatalog catalog)
    {
        systemTables.Register(Hidden("tables"), database => new QueryResult(TableColumns, [.. Tables(systemTables, catalog, database).Select(t => new object?[] { "public", t.Schema, t.Name, t.Schema == "information_schema" ? "VIEW" : "BASE TABLE" })]), SystemTables.Scope.Hidden);
        systemTables.Register(Hidden("columns"), database => new QueryResult(ColumnColumns, [.. Columns(systemTables, catalog, database)]), SystemTables.Scope.Hidden);
        systemTables.Register(Hidden("views"), _ => new QueryResult([Text("table_catalog"), Text("table_schema"), Text("table_name"), Text("definition")], []), SystemTables.Scope.Hidden);
        systemTables.Register(Hidden("df_settings"), _ => new QueryResult([Text("name"), Text("value"), Text("description")], []), SystemTables.Scope.Hidden);
        systemTables.Register(Hidden("schemata"), _ => new QueryResult(
            [Text("catalog_name"), Text("schema_name"), Text("schema_owner"), Text("default_character_set_catalog"), Text("default_character_set_schema"), Text("default_character_set_name"), Text("sql_path")],
            [.. Schemas.Select(s => new object?[] { "public", s, null, null, null, null, null })]), SystemTables.Scope.Hidden);
        return systemTables;
    }

    private static IEnumerable<(string Schema, string Name)> Tables(SystemTables systemTables, SchemaCatalog catalog, string database) =>
        (catalog.Find(database)?.Tables.Keys.Order(StringComparer.Ordinal).Select(t => ("iox", t)) ?? [])
        .Concat(systemTables.NamesIn(database).Order(StringComparer.Ordinal).Select(s => ("system", s)))
        .Concat(Views.Select(v => ("information_schema", v)));

    private static IEnumerable<object?[]> Columns(SystemTables systemTables, SchemaCatalog catalog, string database)
    {
        foreach (var table in (catalog.Find(database)?.Tables.Values ?? []).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var columns = table.Columns.Select(c => (Name: c.Name, Type: ColumnTypes.ArrowName(c.Type), Nullable: true))
                .Append((Name: "time", Type: ColumnTypes.ArrowName(ColumnType.Time), Nullable: false))
                .OrderBy(c => c.Name, StringComparer.Ordinal);
            foreach (var row in Rows("iox", table.Name, columns))
            {
                yield return row;
            }
        }

        foreach (var name in systemTables.NamesIn(database).Order(StringComparer.Ordinal))
        {
            var columns = systemTables.Read(name, database)?.Columns.Select(c => (Name: c.Name, Type: ArrowName(c.Type), Nullable: true)) ?? [];
            foreach (var row in Rows("system", name, columns))
            {
                yield return row;
            }
        }
    }

    private static IEnumerable<object?[]> Rows(string schema, string table, IEnumerable<(string Name, string Type, bool Nullable)> columns) =>
        columns.Select((c, i) => new object?[] { "public", schema, table, c.Name, (long)i, null, c.Nullable ? "YES" : "NO", c.Type, null, null, null, null, null, null, null });

    private static string ArrowName(QueryColumnType type) => type switch
    {
        QueryColumnType.Timestamp => "Timestamp(Nanosecond, None)",
        QueryColumnType.Integer => "Int64",
        QueryColumnType.UInteger => "UInt64",
        QueryColumnType.Float => "Float64",
        QueryColumnType.Boolean => "Boolean",
        QueryColumnType.Duration => "Duration(Nanosecond)",
        _ => "Utf8",
    };

    private static QueryColumn Text(string name) => new(name, QueryColumnType.String);

    private static QueryColumn Integer(string name) => new(name, QueryColumnType.Integer);
}

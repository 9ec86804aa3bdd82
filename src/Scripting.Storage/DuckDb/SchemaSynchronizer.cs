using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Scripting.Core.Catalog;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// Brings a database file's tables up to the catalog: creates tables, adds columns, and rebuilds the
/// SQL-facing view and metadata of every table it touched. Runs on the writer connection only.
/// </summary>
internal sealed class SchemaSynchronizer(DuckDBConnection connection, RewriteLog rewrites)
{
    private readonly Dictionary<string, int> _storedColumns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TableDefinition> _stored = new(StringComparer.Ordinal);

    public void Initialize(IEnumerable<TableDefinition> tables)
    {
        Execute($"""
            CREATE SCHEMA IF NOT EXISTS {SqlNames.StoreSchema};
            CREATE SCHEMA IF NOT EXISTS {SqlNames.TableSchema};
            CREATE TABLE IF NOT EXISTS {SqlNames.StoreSchema}.columns_meta (table_name VARCHAR, column_name VARCHAR, column_kind VARCHAR, data_type VARCHAR);
            """);

        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT table_name, count(*) FROM information_schema.columns WHERE table_schema = '{SqlNames.StoreSchema}' GROUP BY table_name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                // The stored count includes the time column.
                _storedColumns[reader.GetString(0)] = (int)reader.GetInt64(1) - 1;
            }
        }

        MigrateTimeColumns();
        var definitions = tables.ToList();
        MergeDuplicatePoints(definitions);
        foreach (var table in definitions)
        {
            Ensure(table, force: true);
        }
    }

    /// <summary>
    /// Files written before points had an identity can hold several rows for one point (table, tag set,
    /// time). They are merged once, at open, as a rewrite would have merged them: the later row wins field
    /// by field (rows keep their append order in storage, which <c>rowid</c> follows). A marker table
    /// records that the file holds one row per point, so this costs a scan only once.
    /// </summary>
    private void MergeDuplicatePoints(List<TableDefinition> tables)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{SqlNames.StoreSchema}' AND table_name = 'point_identity'";
            if ((long)command.ExecuteScalar()! > 0)
            {
                return;
            }
        }

        foreach (var table in tables.Where(t => _storedColumns.GetValueOrDefault(t.Name, -1) == t.Columns.Count))
        {
            var name = $"{SqlNames.StoreSchema}.{SqlNames.Quote(table.Name)}";
            var keys = string.Join(", ", table.Columns.Where(c => c.Type == ColumnType.Tag).Select(c => SqlNames.Quote(c.Name)).Prepend("time"));
            using var check = connection.CreateCommand();
            check.CommandText = $"SELECT EXISTS (SELECT 1 FROM {name} GROUP BY {keys} HAVING count(*) > 1)";
            if (!(bool)check.ExecuteScalar()!)
            {
                continue;
            }

            var columns = table.Columns.Select(c => c.Type == ColumnType.Tag
                ? SqlNames.Quote(c.Name)
                : $"arg_max({SqlNames.Quote(c.Name)}, rowid) FILTER (WHERE {SqlNames.Quote(c.Name)} IS NOT NULL) AS {SqlNames.Quote(c.Name)}");
            Execute($"""
                BEGIN;
                CREATE TABLE {SqlNames.StoreSchema}.__merged AS SELECT {string.Join(", ", columns.Prepend("time"))} FROM {name} GROUP BY {keys} ORDER BY time;
                DROP TABLE {name} CASCADE;
                ALTER TABLE {SqlNames.StoreSchema}.__merged RENAME TO {SqlNames.Quote(table.Name)};
                ALTER TABLE {name} ALTER COLUMN time SET NOT NULL;
                COMMIT;
                """);
        }

        Execute($"CREATE TABLE {SqlNames.StoreSchema}.point_identity (since TIMESTAMP); INSERT INTO {SqlNames.StoreSchema}.point_identity VALUES (now());");
    }

    /// <summary>
    /// Files written before <c>time</c> was stored as a nanosecond timestamp kept it as BIGINT nanoseconds,
    /// and their views converted it per row, which hides the column from the planner: a condition on
    /// <c>time</c> then scans everything instead of skipping row groups by their min/max. Converted once, at open.
    /// </summary>
    private void MigrateTimeColumns()
    {
        var old = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT table_name FROM information_schema.columns WHERE table_schema = '{SqlNames.StoreSchema}' AND column_name = 'time' AND data_type = 'BIGINT'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                old.Add(reader.GetString(0));
            }
        }

        foreach (var table in old)
        {
            Execute($"ALTER TABLE {SqlNames.StoreSchema}.{SqlNames.Quote(table)} ALTER COLUMN time SET DATA TYPE {TimeType} USING make_timestamp_ns(time);");
        }
    }

    /// <summary>The stored type of <c>time</c>: eight bytes of nanoseconds, as the appender writes them, typed so the planner can prune on it.</summary>
    public const string TimeType = "TIMESTAMP_NS";

    /// <summary>
    /// Makes storage match <paramref name="table"/>; cheap when nothing changed. Returns the schema storage
    /// now has, which can be wider than <paramref name="table"/> when the write was checked against an older
    /// schema (schemas only grow, so it starts with the same columns).
    /// </summary>
    public TableDefinition Ensure(TableDefinition table, bool force = false)
    {
        var stored = _storedColumns.GetValueOrDefault(table.Name, -1);
        if (!force && stored >= table.Columns.Count)
        {
            return _stored.TryGetValue(table.Name, out var known) && known.Columns.Count >= table.Columns.Count ? known : table;
        }

        var sql = new StringBuilder();
        var name = SqlNames.Quote(table.Name);
        if (stored < 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {SqlNames.StoreSchema}.{name} (time {TimeType} NOT NULL");
            foreach (var column in table.Columns)
            {
                sql.Append(CultureInfo.InvariantCulture, $", {SqlNames.Quote(column.Name)} {StorageType(column.Type)}");
            }

            sql.AppendLine(");");
        }
        else
        {
            foreach (var column in table.Columns.Skip(stored))
            {
                sql.AppendLine(CultureInfo.InvariantCulture, $"ALTER TABLE {SqlNames.StoreSchema}.{name} ADD COLUMN {SqlNames.Quote(column.Name)} {StorageType(column.Type)};");
                if (rewrites.Exists(table.Name))
                {
                    sql.AppendLine(CultureInfo.InvariantCulture, $"ALTER TABLE {RewriteLog.LogName(table.Name)} ADD COLUMN {SqlNames.Quote(column.Name)} {StorageType(column.Type)};");
                }
            }
        }

        sql.AppendLine(View(table));
        sql.AppendLine(CultureInfo.InvariantCulture, $"DELETE FROM {SqlNames.StoreSchema}.columns_meta WHERE table_name = {SqlNames.Literal(table.Name)};");
        sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO {SqlNames.StoreSchema}.columns_meta VALUES ({SqlNames.Literal(table.Name)}, 'time', 'time', {SqlNames.Literal(ColumnTypes.ArrowName(ColumnType.Time))})");
        foreach (var column in table.Columns)
        {
            sql.Append(CultureInfo.InvariantCulture, $", ({SqlNames.Literal(table.Name)}, {SqlNames.Literal(column.Name)}, {SqlNames.Literal(column.Type == ColumnType.Tag ? "tag" : "field")}, {SqlNames.Literal(ColumnTypes.ArrowName(column.Type))})");
        }

        sql.AppendLine(";");
        Execute(sql.ToString());
        _storedColumns[table.Name] = table.Columns.Count;
        _stored[table.Name] = table;
        return table;
    }

    /// <summary>The schema storage has for <paramref name="table"/>, if it has the table.</summary>
    public TableDefinition? Stored(string table) => _stored.GetValueOrDefault(table);

    /// <summary>Rebuilds <paramref name="stored"/>'s view after its rewrite log was filled or emptied.</summary>
    public void RefreshView(TableDefinition stored) => Execute(View(stored));

    private string View(TableDefinition table)
    {
        var projection = table.Columns
            .Select(c => (c.Name, Sql: SqlNames.Quote(c.Name)))
            .Append((Name: "time", Sql: "time"))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Sql);
        return $"CREATE OR REPLACE VIEW {SqlNames.TableSchema}.{SqlNames.Quote(table.Name)} AS SELECT {string.Join(", ", projection)} FROM {rewrites.Source(table)};";
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static string StorageType(ColumnType type) => type switch
    {
        ColumnType.Tag or ColumnType.String => "VARCHAR",
        ColumnType.Float => "DOUBLE",
        ColumnType.Integer => "BIGINT",
        ColumnType.UInteger => "UBIGINT",
        ColumnType.Boolean => "BOOLEAN",
        _ => "BIGINT",
    };
}

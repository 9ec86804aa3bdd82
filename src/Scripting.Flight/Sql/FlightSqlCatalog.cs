using System.Text;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Apache.Arrow.Types;
using Scripting.Query;

namespace Scripting.Flight.Sql;

/// <summary>
/// Flight SQL's catalog commands, answered from the database's <c>information_schema</c> through the query
/// layer, so drivers see what SQL sees: catalog <c>public</c>, schemas <c>iox</c> (the tables),
/// <c>system</c> and <c>information_schema</c>. Filter patterns are SQL <c>LIKE</c> patterns
/// (<c>%</c>, <c>_</c>, <c>\</c> escapes), as the specification defines them.
/// </summary>
internal sealed class FlightSqlCatalog(QueryLayer queries, Func<QueryCursor, string, Schema> resultSchema)
{
    public static readonly Schema CatalogsSchema = new([new Field("catalog_name", StringType.Default, nullable: false)], null);

    public static readonly Schema DbSchemasSchema = new(
        [new Field("catalog_name", StringType.Default, nullable: true), new Field("db_schema_name", StringType.Default, nullable: false)], null);

    public static readonly Schema TableTypesSchema = new([new Field("table_type", StringType.Default, nullable: false)], null);

    /// <summary>Tables here have no primary key: the answer is always empty, in the specification's shape.</summary>
    public static readonly Schema PrimaryKeysSchema = new(
    [
        new Field("catalog_name", StringType.Default, nullable: true), new Field("db_schema_name", StringType.Default, nullable: true),
        new Field("table_name", StringType.Default, nullable: false), new Field("column_name", StringType.Default, nullable: false),
        new Field("key_name", StringType.Default, nullable: true), new Field("key_sequence", Int32Type.Default, nullable: false),
    ], null);

    /// <summary>Nor foreign keys (exported, imported, cross references): always empty.</summary>
    public static readonly Schema ForeignKeysSchema = new(
    [
        new Field("pk_catalog_name", StringType.Default, nullable: true), new Field("pk_db_schema_name", StringType.Default, nullable: true),
        new Field("pk_table_name", StringType.Default, nullable: false), new Field("pk_column_name", StringType.Default, nullable: false),
        new Field("fk_catalog_name", StringType.Default, nullable: true), new Field("fk_db_schema_name", StringType.Default, nullable: true),
        new Field("fk_table_name", StringType.Default, nullable: false), new Field("fk_column_name", StringType.Default, nullable: false),
        new Field("key_sequence", Int32Type.Default, nullable: false), new Field("fk_key_name", StringType.Default, nullable: true),
        new Field("pk_key_name", StringType.Default, nullable: true), new Field("update_rule", UInt8Type.Default, nullable: false),
        new Field("delete_rule", UInt8Type.Default, nullable: false),
    ], null);

    private static readonly string[] TableTypes = ["BASE TABLE", "VIEW"];

    /// <summary>No rows, in <paramref name="schema"/> (of text and integer columns).</summary>
    public static RecordBatch Empty(Schema schema) => new(schema, schema.FieldsList.Select(f => f.DataType switch
    {
        Int32Type => (IArrowArray)new Int32Array.Builder().Build(),
        UInt8Type => new UInt8Array.Builder().Build(),
        _ => Strings([]),
    }), 0);

    public static Schema TablesSchema(bool includeSchema)
    {
        var fields = new List<Field>
        {
            new("catalog_name", StringType.Default, nullable: true),
            new("db_schema_name", StringType.Default, nullable: true),
            new("table_name", StringType.Default, nullable: false),
            new("table_type", StringType.Default, nullable: false),
        };
        if (includeSchema)
        {
            fields.Add(new Field("table_schema", BinaryType.Default, nullable: false));
        }

        return new Schema(fields, null);
    }

    public async Task<RecordBatch> CatalogsAsync(string database, CancellationToken cancellationToken)
    {
        var tables = await TablesAsync(database, cancellationToken);
        return Texts(CatalogsSchema, [.. tables.Select(t => t.Catalog).Distinct().Order(StringComparer.Ordinal)]);
    }

    public async Task<RecordBatch> DbSchemasAsync(string database, CommandGetDbSchemas command, CancellationToken cancellationToken)
    {
        var pattern = command.HasDbSchemaFilterPattern ? Like(command.DbSchemaFilterPattern) : null;
        var schemas = (await TablesAsync(database, cancellationToken))
            .Where(t => !command.HasCatalog || t.Catalog == command.Catalog)
            .Where(t => pattern is null || pattern.IsMatch(t.Schema))
            .Select(t => (t.Catalog, t.Schema)).Distinct()
            .OrderBy(s => s.Catalog, StringComparer.Ordinal).ThenBy(s => s.Schema, StringComparer.Ordinal)
            .ToList();
        return new RecordBatch(DbSchemasSchema, [Strings(schemas.Select(s => s.Catalog)), Strings(schemas.Select(s => s.Schema))], schemas.Count);
    }

    public async Task<RecordBatch> TablesAsync(string database, CommandGetTables command, CancellationToken cancellationToken)
    {
        var schemaPattern = command.HasDbSchemaFilterPattern ? Like(command.DbSchemaFilterPattern) : null;
        var tablePattern = command.HasTableNameFilterPattern ? Like(command.TableNameFilterPattern) : null;
        var tables = (await TablesAsync(database, cancellationToken))
            .Where(t => !command.HasCatalog || t.Catalog == command.Catalog)
            .Where(t => schemaPattern is null || schemaPattern.IsMatch(t.Schema))
            .Where(t => tablePattern is null || tablePattern.IsMatch(t.Name))
            .Where(t => command.TableTypes.Count == 0 || command.TableTypes.Contains(t.Type))
            .OrderBy(t => t.Catalog, StringComparer.Ordinal).ThenBy(t => t.Schema, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Type, StringComparer.Ordinal)
            .ToList();
        var columns = new List<IArrowArray>
        {
            Strings(tables.Select(t => t.Catalog)), Strings(tables.Select(t => t.Schema)), Strings(tables.Select(t => t.Name)), Strings(tables.Select(t => t.Type)),
        };
        if (command.IncludeSchema)
        {
            var schemas = new BinaryArray.Builder();
            foreach (var table in tables)
            {
                schemas.Append(SchemaBytes(await TableSchemaAsync(database, table.Schema, table.Name, cancellationToken)));
            }

            columns.Add(schemas.Build());
        }

        return new RecordBatch(TablesSchema(command.IncludeSchema), columns, tables.Count);
    }

    public static RecordBatch TableTypesBatch() => Texts(TableTypesSchema, TableTypes);

    /// <summary>A schema as the IPC message Flight SQL carries in bytes fields (<c>table_schema</c>, <c>dataset_schema</c>).</summary>
    public static byte[] SchemaBytes(Schema schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Apache.Arrow.Ipc.ArrowStreamWriter(stream, schema, leaveOpen: true))
        {
            writer.WriteStart();
        }

        return stream.ToArray();
    }

    private async Task<Schema> TableSchemaAsync(string database, string schema, string table, CancellationToken cancellationToken)
    {
        await using var cursor = await queries.DescribeAsync(database, $"SELECT * FROM {Quoted(schema)}.{Quoted(table)}", new Dictionary<string, object?>(), cancellationToken);
        return cursor is null ? new Schema([], null) : resultSchema(cursor, database);
    }

    private async Task<IReadOnlyList<(string Catalog, string Schema, string Name, string Type)>> TablesAsync(string database, CancellationToken cancellationToken)
    {
        var result = await queries.QueryAsync(database, "SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables", new Dictionary<string, object?>(), cancellationToken);
        return [.. result.Rows.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!))];
    }

    /// <summary>A SQL LIKE pattern as a regular expression: <c>%</c> any run, <c>_</c> one character, <c>\</c> escapes.</summary>
    internal static Regex Like(string pattern)
    {
        var expression = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                expression.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                expression.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        return new Regex(expression.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static RecordBatch Texts(Schema schema, string[] values) => new(schema, [Strings(values)], values.Length);

    private static StringArray Strings(IEnumerable<string> values)
    {
        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }
}

using Scripting.Core.Errors;

namespace Scripting.Core.Catalog;

/// <summary>
/// The catalog of databases and table schemas. Reads are lock-free on immutable definitions; every
/// change takes one lock, builds new definitions, persists the whole snapshot, then publishes it, so
/// a crash never leaves storage with a column the catalog does not know.
/// </summary>
public sealed class SchemaCatalog
{
    private readonly ICatalogPersistence _persistence;
    private readonly Lock _gate = new();
    private volatile Dictionary<string, DatabaseDefinition> _databases;

    public SchemaCatalog(ICatalogPersistence persistence)
    {
        _persistence = persistence;
        var snapshot = persistence.Load();
        CatalogId = snapshot?.CatalogId ?? Guid.NewGuid().ToString();
        _databases = (snapshot?.Databases ?? []).ToDictionary(d => d.Name, StringComparer.Ordinal);
        if (snapshot is null)
        {
            persistence.Save(new CatalogSnapshot(CatalogId, []));
        }
    }

    public string CatalogId { get; }

    public event Action<string>? DatabaseDeleted;

    public IReadOnlyList<DatabaseDefinition> Databases => [.. _databases.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    public DatabaseDefinition? Find(string database) => _databases.GetValueOrDefault(database);

    public DatabaseDefinition Get(string database) => Find(database) ?? throw ScriptingException.DatabaseNotFound(database);

    public DatabaseDefinition CreateDatabase(string name)
    {
        var invalid = Names.ValidateDatabaseName(name);
        if (invalid is not null)
        {
            throw new ScriptingException(ErrorKind.BadRequest, invalid);
        }

        lock (_gate)
        {
            if (_databases.ContainsKey(name))
            {
                throw new ScriptingException(ErrorKind.Conflict, $"attempted to create a resource that already exists: database '{name}'");
            }

            var database = DatabaseDefinition.Empty(name);
            Publish(new Dictionary<string, DatabaseDefinition>(_databases, StringComparer.Ordinal) { [name] = database });
            return database;
        }
    }

    /// <summary>Returns the database, creating it when missing (writes create databases on the fly).</summary>
    public DatabaseDefinition GetOrCreateDatabase(string name)
    {
        var existing = Find(name);
        if (existing is not null)
        {
            return existing;
        }

        lock (_gate)
        {
            return Find(name) ?? CreateDatabase(name);
        }
    }

    public void DeleteDatabase(string name)
    {
        lock (_gate)
        {
            if (!_databases.ContainsKey(name))
            {
                throw ScriptingException.DatabaseNotFound(name);
            }

            var next = new Dictionary<string, DatabaseDefinition>(_databases, StringComparer.Ordinal);
            next.Remove(name);
            Publish(next);
        }

        DatabaseDeleted?.Invoke(name);
    }

    public TableDefinition CreateTable(string database, string table, IReadOnlyList<string> tags, IReadOnlyList<ColumnDefinition> fields)
    {
        var invalid = Names.ValidateIdentifier("table", table);
        if (invalid is not null)
        {
            throw new ScriptingException(ErrorKind.BadRequest, invalid);
        }

        var columns = tags.Select(t => new ColumnDefinition(t, ColumnType.Tag)).Concat(fields).ToList();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in columns)
        {
            var reason = Names.ValidateIdentifier("column", column.Name)
                ?? (string.Equals(column.Name, "time", StringComparison.OrdinalIgnoreCase) ? "column name 'time' is reserved for the timestamp" : null)
                ?? (seen.Add(column.Name) ? null : $"column '{column.Name}' is given twice");
            if (reason is not null)
            {
                throw new ScriptingException(ErrorKind.BadRequest, reason);
            }
        }

        lock (_gate)
        {
            var db = Get(database);
            if (db.Tables.Keys.Any(t => string.Equals(t, table, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ScriptingException(ErrorKind.Conflict, $"attempted to create a resource that already exists: table '{table}' in database '{database}'");
            }

            var definition = new TableDefinition(table, columns);
            ReplaceTables(db, [definition]);
            return definition;
        }
    }

    /// <summary>Publishes new or grown tables of one database. Caller holds no lock; this takes it.</summary>
    internal void ReplaceTables(DatabaseDefinition database, IReadOnlyList<TableDefinition> tables)
    {
        lock (_gate)
        {
            var current = Find(database.Name) ?? throw ScriptingException.DatabaseNotFound(database.Name);
            var next = new Dictionary<string, TableDefinition>(current.Tables, StringComparer.Ordinal);
            foreach (var table in tables)
            {
                next[table.Name] = table;
            }

            Publish(new Dictionary<string, DatabaseDefinition>(_databases, StringComparer.Ordinal)
            {
                [database.Name] = current with { Tables = next },
            });
        }
    }

    internal Lock Gate => _gate;

    private void Publish(Dictionary<string, DatabaseDefinition> next)
    {
        _persistence.Save(new CatalogSnapshot(CatalogId, [.. next.Values]));
        _databases = next;
    }
}

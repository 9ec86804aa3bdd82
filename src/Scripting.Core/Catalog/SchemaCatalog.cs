using Scripting.Core.Errors;
using Scripting.Core.Triggers;

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
        TableCount = _databases.Values.Sum(d => d.Tables.Count);
        if (snapshot is null)
        {
            persistence.Save(new CatalogSnapshot(CatalogId, []));
        }
    }

    public string CatalogId { get; }

    /// <summary>Checked whenever a database, table or column is added.</summary>
    public SchemaLimits Limits { get; set; } = SchemaLimits.Default;

    /// <summary>Tables across all databases.</summary>
    public int TableCount { get; private set; }

    public event Action<string>? DatabaseDeleted;

    /// <summary>Raised after a trigger is created, deleted, enabled or disabled: (database, trigger name).</summary>
    public event Action<string, string>? TriggerChanged;

    public IReadOnlyList<DatabaseDefinition> Databases => [.. _databases.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    public DatabaseDefinition? Find(string database) => _databases.GetValueOrDefault(database);

    /// <summary>
    /// A database SQL can read: one of <see cref="Databases"/>, or <c>_internal</c>, InfluxDB 3's database of
    /// the server's own tables (<c>system.plugin_files</c>, <c>system.queries</c>), which holds no data of
    /// its own and takes no writes or triggers.
    /// </summary>
    public DatabaseDefinition? FindReadable(string database) =>
        database == Queries.SystemTables.InternalDatabase ? Internal : Find(database);

    private static readonly DatabaseDefinition Internal = DatabaseDefinition.Empty(Queries.SystemTables.InternalDatabase);

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

            if (_databases.Count >= Limits.Databases)
            {
                throw new ScriptingException(ErrorKind.Unprocessable, Limits.DatabasesExceeded);
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

            if (TableCount >= Limits.Tables)
            {
                throw new ScriptingException(ErrorKind.Unprocessable, Limits.TablesExceeded(TableCount));
            }

            if (columns.Count > Limits.ColumnsPerTable)
            {
                throw new ScriptingException(ErrorKind.Unprocessable, Limits.ColumnsExceeded);
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

    public IEnumerable<TriggerDefinition> Triggers => _databases.Values.SelectMany(d => d.Triggers.Values);

    public TriggerDefinition GetTrigger(string database, string name) =>
        Get(database).Triggers.GetValueOrDefault(name)
        ?? throw new ScriptingException(ErrorKind.NotFound, $"the requested resource was not found: trigger '{name}' in database '{database}'");

    public void CreateTrigger(TriggerDefinition trigger)
    {
        lock (_gate)
        {
            var database = Get(trigger.Database);
            if (database.Triggers.ContainsKey(trigger.Name))
            {
                throw new ScriptingException(ErrorKind.Conflict, $"attempted to create a resource that already exists: trigger '{trigger.Name}' in database '{trigger.Database}'");
            }

            if (trigger.Specification.Kind == TriggerKind.Request
                && Triggers.FirstOrDefault(t => t.Specification.Kind == TriggerKind.Request && t.Specification.Value == trigger.Specification.Value) is { } taken)
            {
                throw new ScriptingException(ErrorKind.Conflict, $"request path '{trigger.Specification.Value}' is already served by trigger '{taken.Name}' in database '{taken.Database}'");
            }

            PublishTriggers(database, trigger.Name, trigger);
        }

        TriggerChanged?.Invoke(trigger.Database, trigger.Name);
    }

    public void DeleteTrigger(string database, string name)
    {
        lock (_gate)
        {
            GetTrigger(database, name);
            PublishTriggers(Get(database), name, null);
        }

        TriggerChanged?.Invoke(database, name);
    }

    /// <summary>Sets the disabled flag; false when it already had that value.</summary>
    public bool SetTriggerDisabled(string database, string name, bool disabled)
    {
        lock (_gate)
        {
            var trigger = GetTrigger(database, name);
            if (trigger.Disabled == disabled)
            {
                return false;
            }

            PublishTriggers(Get(database), name, trigger with { Disabled = disabled });
        }

        TriggerChanged?.Invoke(database, name);
        return true;
    }

    private void PublishTriggers(DatabaseDefinition database, string name, TriggerDefinition? trigger)
    {
        var triggers = new Dictionary<string, TriggerDefinition>(database.Triggers, StringComparer.Ordinal);
        if (trigger is null)
        {
            triggers.Remove(name);
        }
        else
        {
            triggers[name] = trigger;
        }

        Publish(new Dictionary<string, DatabaseDefinition>(_databases, StringComparer.Ordinal) { [database.Name] = database with { Triggers = triggers } });
    }

    internal Lock Gate => _gate;

    private void Publish(Dictionary<string, DatabaseDefinition> next)
    {
        _persistence.Save(new CatalogSnapshot(CatalogId, [.. next.Values]));
        _databases = next;
        TableCount = next.Values.Sum(d => d.Tables.Count);
    }
}

using Scripting.Core.Triggers;

namespace Scripting.Core.Catalog;

public sealed record ColumnDefinition(string Name, ColumnType Type);

/// <summary>
/// A table's schema. Immutable: adding columns yields a new definition, so a reader holding one sees a
/// consistent schema while writers evolve the table. Columns keep the order they were added in, which
/// is also their order in storage; <c>time</c> is implicit and not listed.
/// </summary>
public sealed class TableDefinition
{
    private readonly Dictionary<string, int> _byName;

    public TableDefinition(string name, IReadOnlyList<ColumnDefinition> columns)
    {
        Name = name;
        Columns = columns;
        _byName = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            _byName[columns[i].Name] = i;
        }
    }

    public string Name { get; }
    public IReadOnlyList<ColumnDefinition> Columns { get; }

    public int IndexOf(string column) => _byName.TryGetValue(column, out var index) ? index : -1;

    public ColumnDefinition? Find(string column) => _byName.TryGetValue(column, out var index) ? Columns[index] : null;

    /// <summary>SQL engines fold identifier case, so two names differing only in case cannot coexist.</summary>
    public ColumnDefinition? FindCaseInsensitive(string column) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));

    public TableDefinition With(IEnumerable<ColumnDefinition> added) => new(Name, [.. Columns, .. added]);
}

public sealed record DatabaseDefinition(string Name, IReadOnlyDictionary<string, TableDefinition> Tables, IReadOnlyDictionary<string, TriggerDefinition> Triggers)
{
    public static readonly IReadOnlyDictionary<string, TriggerDefinition> NoTriggers = new Dictionary<string, TriggerDefinition>(StringComparer.Ordinal);

    public static DatabaseDefinition Empty(string name) => new(name, new Dictionary<string, TableDefinition>(StringComparer.Ordinal), NoTriggers);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Scripting.Core.Catalog;
using Scripting.Core.Triggers;

namespace Scripting.Storage.Catalog;

/// <summary>
/// The catalog as one JSON file in the data dir, replaced atomically (<see cref="JsonFile"/>), so a crash
/// leaves either the old or the new catalog.
/// </summary>
public sealed class JsonCatalogPersistence(string dataDirectory) : ICatalogPersistence
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly string _path = Path.Combine(dataDirectory, "catalog.json");

    public CatalogSnapshot? Load()
    {
        if (!File.Exists(_path))
        {
            return null;
        }

        var file = JsonSerializer.Deserialize<CatalogFile>(JsonFile.Read(_path), Json)
            ?? throw new InvalidDataException($"catalog file '{_path}' is empty");
        var databases = file.Databases.Select(d => new DatabaseDefinition(
            d.Name,
            d.Tables.ToDictionary(
                t => t.Name,
                t => new TableDefinition(t.Name, t.Columns.Select(c => new ColumnDefinition(c.Name, Enum.Parse<ColumnType>(c.Type, ignoreCase: true))).ToList()),
                StringComparer.Ordinal),
            (d.Triggers ?? []).ToDictionary(t => t.Name, t => ReadTrigger(d.Name, t), StringComparer.Ordinal))).ToList();
        return new CatalogSnapshot(file.CatalogId, databases);
    }

    public void Save(CatalogSnapshot snapshot)
    {
        var file = new CatalogFile(
            snapshot.CatalogId,
            snapshot.Databases.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => new DatabaseFile(
                d.Name,
                d.Tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new TableFile(
                    t.Name,
                    t.Columns.Select(c => new ColumnFile(c.Name, c.Type.ToString().ToLowerInvariant())).ToList())).ToList(),
                d.Triggers.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new TriggerFile(
                    t.Name,
                    t.PluginFilename,
                    t.Specification.ToString(),
                    t.Settings.RunAsync,
                    t.Settings.ErrorBehavior.ToString().ToLowerInvariant(),
                    t.Arguments?.ToDictionary(),
                    t.Disabled)).ToList())).ToList());
        JsonFile.Replace(_path, file, Json);
    }

    private sealed record CatalogFile(string CatalogId, List<DatabaseFile> Databases);

    private static TriggerDefinition ReadTrigger(string database, TriggerFile file)
    {
        var specification = TriggerSpecification.Parse(file.Specification, out var error)
            ?? throw new InvalidDataException($"catalog trigger '{file.Name}' in database '{database}': {error}");
        return new TriggerDefinition(
            file.Name,
            database,
            file.PluginFilename,
            specification,
            new TriggerSettings(file.RunAsync, Enum.Parse<ErrorBehavior>(file.ErrorBehavior, ignoreCase: true)),
            file.Arguments,
            file.Disabled);
    }

    private sealed record DatabaseFile(string Name, List<TableFile> Tables, List<TriggerFile>? Triggers);

    private sealed record TriggerFile(string Name, string PluginFilename, string Specification, bool RunAsync, string ErrorBehavior, Dictionary<string, string>? Arguments, bool Disabled);

    private sealed record TableFile(string Name, List<ColumnFile> Columns);

    private sealed record ColumnFile(string Name, string Type);
}

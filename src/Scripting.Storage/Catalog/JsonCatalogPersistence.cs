using System.Text.Json;
using System.Text.Json.Serialization;
using Scripting.Core.Catalog;

namespace Scripting.Storage.Catalog;

/// <summary>
/// The catalog as one JSON file in the data dir. Saved by writing a temporary file, flushing it to
/// disk and renaming it over the old one, so a crash leaves either the old or the new catalog.
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

        var file = JsonSerializer.Deserialize<CatalogFile>(File.ReadAllBytes(_path), Json)
            ?? throw new InvalidDataException($"catalog file '{_path}' is empty");
        var databases = file.Databases.Select(d => new DatabaseDefinition(
            d.Name,
            d.Tables.ToDictionary(
                t => t.Name,
                t => new TableDefinition(t.Name, t.Columns.Select(c => new ColumnDefinition(c.Name, Enum.Parse<ColumnType>(c.Type, ignoreCase: true))).ToList()),
                StringComparer.Ordinal))).ToList();
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
                    t.Columns.Select(c => new ColumnFile(c.Name, c.Type.ToString().ToLowerInvariant())).ToList())).ToList())).ToList());
        Directory.CreateDirectory(dataDirectory);
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            JsonSerializer.Serialize(stream, file, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
    }

    private sealed record CatalogFile(string CatalogId, List<DatabaseFile> Databases);

    private sealed record DatabaseFile(string Name, List<TableFile> Tables);

    private sealed record TableFile(string Name, List<ColumnFile> Columns);

    private sealed record ColumnFile(string Name, string Type);
}

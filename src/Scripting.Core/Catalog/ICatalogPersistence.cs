namespace Scripting.Core.Catalog;

/// <summary>Where the catalog lives between runs: a file in the data dir, or nowhere for memory mode.</summary>
public interface ICatalogPersistence
{
    CatalogSnapshot? Load();

    /// <summary>Stores the snapshot durably before returning.</summary>
    void Save(CatalogSnapshot snapshot);
}

public sealed record CatalogSnapshot(string CatalogId, IReadOnlyList<DatabaseDefinition> Databases);

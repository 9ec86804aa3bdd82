using Scripting.Core.Catalog;

namespace Scripting.Storage.Catalog;

/// <summary>For <c>--object-store memory</c>: the catalog lives as long as the process.</summary>
public sealed class MemoryCatalogPersistence : ICatalogPersistence
{
    private CatalogSnapshot? _snapshot;

    public CatalogSnapshot? Load() => _snapshot;

    public void Save(CatalogSnapshot snapshot) => _snapshot = snapshot;
}

using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;
using Scripting.Storage.Catalog;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

/// <summary>A store on a temporary data dir, reopened as a restart would, with a write helper.</summary>
public abstract class StoreTestBase : IAsyncLifetime
{
    protected string DataDirectory { get; } = TempDirectory.NewPath("storage");

    protected SchemaCatalog Catalog { get; private set; } = null!;

    /// <summary>The system tables the store materialises; a query layer over <see cref="Storage"/> registers its own here too.</summary>
    protected Core.Queries.SystemTables SystemTables { get; } = new();

    protected DuckDbStorage Storage { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Storage.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Opens the catalog and the store on the data dir, as a server start does.</summary>
    protected virtual void Open()
    {
        Catalog = new SchemaCatalog(new JsonCatalogPersistence(DataDirectory));
        Storage = new DuckDbStorage(Catalog, new Core.Writes.WriteNotifier(), SystemTables, DataDirectory);
    }

    protected async Task ReopenAsync()
    {
        await Storage.DisposeAsync();
        Open();
    }

    /// <summary>Writes lines as the write path does, after checking none is refused.</summary>
    protected async Task WriteAsync(string lines, string database = "db", Precision precision = Precision.Auto)
    {
        var validated = WriteValidator.Validate(Catalog, database, new LineProtocolParser().Parse(lines, precision, 0), acceptPartial: true);
        validated.Errors.ShouldBeEmpty();
        await Storage.WriteAsync(validated, new WriteOptions());
    }
}

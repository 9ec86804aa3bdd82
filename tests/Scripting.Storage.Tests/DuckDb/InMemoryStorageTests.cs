using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;
using Scripting.Storage.Catalog;
using Scripting.Core.Queries;
using Scripting.Query;
using Scripting.Query.Limits;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

public sealed class InMemoryStorageTests
{
    [Fact]
    public async Task InMemory_WriteThenQuery_ReturnsRowsWithoutTouchingDisk()
    {
        var catalog = new SchemaCatalog(new MemoryCatalogPersistence());
        var systemTables = new SystemTables();
        await using var storage = new DuckDbStorage(catalog, new Core.Writes.WriteNotifier(), systemTables, null);
        var queries = new QueryLayer(storage, catalog, systemTables, new QueryLimits(), TimeProvider.System);
        var validated = WriteValidator.Validate(catalog, "mem", new LineProtocolParser().Parse("m f=1 1\nm f=2 2", Precision.Auto, 0), true);

        await storage.WriteAsync(validated, new WriteOptions());
        var first = await queries.QueryAsync("mem", "select sum(f) from m", new Dictionary<string, object?>());
        var second = await queries.QueryAsync("mem", "select count(*) from m", new Dictionary<string, object?>());

        first.Rows[0][0].ShouldBe(3.0);
        second.Rows[0][0].ShouldBe(2L);
    }
}

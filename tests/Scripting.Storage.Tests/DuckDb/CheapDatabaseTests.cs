using Apache.Arrow;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Queries;
using Scripting.Core.Writes;
using Scripting.Storage.Catalog;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

/// <summary>A database costs nothing until used: stores open on first use and close when idle or when too many are open.</summary>
public sealed class CheapDatabaseTests : IDisposable
{
    private readonly string _directory = TempDirectory.NewPath("cheap");
    private readonly SchemaCatalog _catalog;

    public CheapDatabaseTests() => _catalog = new SchemaCatalog(new JsonCatalogPersistence(_directory));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task WriteAsync(DuckDbStorage storage, string database, string lines) =>
        storage.WriteAsync(WriteValidator.Validate(_catalog, database, new LineProtocolParser().Parse(lines, Precision.Nanosecond, 0), true), new WriteOptions());

    private static long Count(DuckDbStorage storage, string database)
    {
        using var stream = storage.Execute(database, new CheckedStatement("SELECT count(*) FROM iox.m", new Dictionary<string, object?>(), []), CancellationToken.None);
        return ((Int64Array)stream.ReadNext()!.Column(0)).GetValue(0)!.Value;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return condition();
    }

    [Fact]
    public async Task NothingIsOpenedAtStart_AUsedDatabaseIsOpenedOnItsFirstUse()
    {
        await using (var first = new DuckDbStorage(_catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory))
        {
            for (var i = 0; i < 20; i++)
            {
                await WriteAsync(first, $"db{i}", "m v=1i 1");
            }
        }

        await using var storage = new DuckDbStorage(_catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory);
        storage.OpenStores.ShouldBe(0);
        Count(storage, "db7").ShouldBe(1);
        storage.OpenStores.ShouldBe(1);
    }

    [Fact]
    public async Task AnIdleDatabase_IsClosed_AndReopenedWithItsData()
    {
        await using var storage = new DuckDbStorage(_catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory, idleTimeout: TimeSpan.FromMilliseconds(200));
        await WriteAsync(storage, "idle", "m v=1i 1\nm v=2i 2");

        (await EventuallyAsync(() => storage.OpenStores == 0)).ShouldBeTrue();
        await WriteAsync(storage, "idle", "m v=3i 3");
        Count(storage, "idle").ShouldBe(3);
    }

    [Fact]
    public async Task ADatabaseWithAQueryInProgress_StaysOpen()
    {
        await using var storage = new DuckDbStorage(_catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory, idleTimeout: TimeSpan.FromMilliseconds(100));
        await WriteAsync(storage, "busy", "m v=1i 1");
        var stream = storage.Execute("busy", new CheckedStatement("SELECT v FROM iox.m", new Dictionary<string, object?>(), []), CancellationToken.None);

        await Task.Delay(600);
        storage.OpenStores.ShouldBe(1);
        stream.ReadNext()!.Length.ShouldBe(1);
        stream.Dispose();
        (await EventuallyAsync(() => storage.OpenStores == 0)).ShouldBeTrue();
    }

    [Fact]
    public async Task PastTheOpenLimit_TheLeastRecentlyUsedIdleStoresClose()
    {
        await using var storage = new DuckDbStorage(_catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory, maxOpenStores: 3);
        for (var i = 0; i < 10; i++)
        {
            await WriteAsync(storage, $"many{i}", $"m v={i}i 1");
            storage.OpenStores.ShouldBeLessThanOrEqualTo(3);
        }

        Enumerable.Range(0, 10).Sum(i => Count(storage, $"many{i}")).ShouldBe(10);
        storage.OpenStores.ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task ManyWritersToManyDatabases_PastTheOpenLimit_LoseNothing()
    {
        await using var storage = new DuckDbStorage(_catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory, idleTimeout: TimeSpan.FromMilliseconds(50), maxOpenStores: 2);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await WriteAsync(storage, $"w{(writer + i) % 5}", $"m,writer=w{writer} v={i}i {i + 1}");
            }
        })));

        Enumerable.Range(0, 5).Sum(d => Count(storage, $"w{d}")).ShouldBe(200);
    }
}

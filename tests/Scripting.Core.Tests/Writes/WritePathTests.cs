using System.Text;
using Microsoft.Extensions.Time.Testing;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;

namespace Scripting.Core.Tests.Writes;

public sealed class WritePathTests
{
    private readonly SchemaCatalog _catalog = new(new NoPersistence());
    private readonly Store _store = new();
    private readonly WritePath _writes;

    public WritePathTests() => _writes = new WritePath(_catalog, _store, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(5)));

    private WriteCheck Check(string lines, bool acceptPartial = false, bool dryRun = false, string database = "db") =>
        _writes.Check(database, Encoding.UTF8.GetBytes(lines), Precision.Auto, acceptPartial, dryRun);

    [Fact]
    public void Check_InvalidDatabaseName_RefusedWithTheRule()
    {
        var check = Check("m f=1", database: "_db");

        check.Refusal.ShouldBe(WriteRefusal.InvalidDatabase);
        check.Reason.ShouldBe("db name '_db' did not start with a number or letter");
    }

    [Fact]
    public void Check_NoLines_RefusedAsEmpty() => Check("\n\n").Refusal.ShouldBe(WriteRefusal.Empty);

    [Fact]
    public void Check_BadLineWithoutPartial_RefusesTheWriteAtTheFirstBadLine()
    {
        var check = Check("m f=1\nm f=\nm g=");

        check.Refusal.ShouldBe(WriteRefusal.Parse);
        check.Line!.LineNumber.ShouldBe(2);
        _catalog.Find("db").ShouldBeNull();
    }

    [Fact]
    public void Check_BadLineWithPartial_KeepsTheGoodLinesAndListsTheBadOne()
    {
        var check = Check("m f=1\nm f=\nm f=3", acceptPartial: true);

        check.Refused.ShouldBeFalse();
        check.Write!.RowCount.ShouldBe(2);
        check.Write.Errors.Single().LineNumber.ShouldBe(2);
    }

    [Fact]
    public void Check_TypeConflict_RefusedAsSchema()
    {
        Check("m f=1").Refused.ShouldBeFalse();

        var check = Check("m f=\"text\"");

        check.Refusal.ShouldBe(WriteRefusal.Schema);
        check.Line!.Message.ShouldContain("f");
    }

    [Fact]
    public void Check_DryRun_ValidatesWithoutCreatingTheTable()
    {
        Check("m f=1", dryRun: true).Refused.ShouldBeFalse();

        _catalog.Find("db").ShouldBeNull();
    }

    [Fact]
    public void Check_LineWithoutTime_TakesTheClocksNow()
    {
        var write = Check("m f=1").Write!;

        write.Batch.Points[write.Tables[0].PointIndexes[0]].TimeNanoseconds.ShouldBe(5_000_000_000);
    }

    [Fact]
    public async Task StoreAsync_Durable_BatchIsReusedOnceReleased_NoSync_IsNot()
    {
        var first = Check("m f=1").Write!;
        await _writes.StoreAsync(first, new WriteOptions());
        _store.Stored.ShouldBe([first]);

        var second = Check("m f=2").Write!;
        second.Batch.ShouldBeSameAs(first.Batch);

        await _writes.StoreAsync(second, new WriteOptions(NoSync: true));
        Check("m f=3").Write!.Batch.ShouldNotBeSameAs(second.Batch);
    }

    private sealed class Store : IWriteBuffer
    {
        public List<ValidatedWrite> Stored { get; } = [];

        public Task WriteAsync(ValidatedWrite write, WriteOptions options, CancellationToken cancellationToken = default)
        {
            Stored.Add(write);
            return Task.CompletedTask;
        }
    }

    private sealed class NoPersistence : ICatalogPersistence
    {
        public CatalogSnapshot? Load() => null;

        public void Save(CatalogSnapshot snapshot)
        {
        }
    }
}

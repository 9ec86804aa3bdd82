using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;

namespace Scripting.Core.Tests.Writes;

public sealed class WriteValidatorTests
{
    private readonly RecordingPersistence _persistence = new();
    private readonly SchemaCatalog _catalog;

    public WriteValidatorTests() => _catalog = new SchemaCatalog(_persistence);

    private ValidatedWrite Write(string lines, bool acceptPartial = true) =>
        WriteValidator.Validate(_catalog, "db", new LineProtocolParser().Parse(lines, Precision.Auto, 0), acceptPartial);

    [Fact]
    public void Validate_FirstWrite_CreatesDatabaseTableAndColumnsInOrder()
    {
        var write = Write("home,room=Kitchen temp=21.0,co=0i 1");

        write.Errors.ShouldBeEmpty();
        var table = _catalog.Get("db").Tables["home"];
        table.Columns.ShouldBe([new("room", ColumnType.Tag), new("temp", ColumnType.Float), new("co", ColumnType.Integer)]);
        _persistence.Saved.Last().Databases.Single().Tables.ShouldContainKey("home");
    }

    [Fact]
    public void Validate_IntegerIntoFloatColumn_RejectsLineWithTypesNamed()
    {
        Write("home temp=21.0 1");

        var write = Write("home temp=21i 2\nhome temp=22.5 3");

        write.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "invalid column type for column 'temp', expected iox::column_type::field::float, got iox::column_type::field::integer");
        write.Errors[0].LineNumber.ShouldBe(1);
        write.RowCount.ShouldBe(1);
    }

    [Fact]
    public void Validate_TagWrittenAsField_RejectsLine()
    {
        Write("home,room=a temp=1 1");

        var write = Write("home room=\"b\" 2");

        write.Errors.ShouldHaveSingleItem().Message.ShouldContain("expected iox::column_type::tag, got iox::column_type::field::string");
    }

    [Fact]
    public void Validate_ConflictWithinOneBatch_FirstLineFixesTheType()
    {
        var write = Write("m f=\"text\" 1\nm f=2i 2");

        write.Errors.ShouldHaveSingleItem().LineNumber.ShouldBe(2);
        _catalog.Get("db").Tables["m"].Find("f")!.Type.ShouldBe(ColumnType.String);
    }

    [Fact]
    public void Validate_AcceptPartialFalse_RejectsWholeBatchAndChangesNoSchema()
    {
        Write("m f=1 1");

        var write = Write("m g=1i 1\nm f=2i 2", acceptPartial: false);

        write.RowCount.ShouldBe(0);
        write.Errors.ShouldHaveSingleItem().LineNumber.ShouldBe(2);
        _catalog.Get("db").Tables["m"].Find("g").ShouldBeNull();
    }

    [Fact]
    public void Validate_ColumnNamedTime_IsRejected()
    {
        var write = Write("m,time=a f=1 1\nm time=1 1");

        write.Errors.Count.ShouldBe(2);
        write.Errors.ShouldAllBe(e => e.Message.Contains("iox::column_type::timestamp"));
    }

    [Fact]
    public void Validate_NamesDifferingOnlyInCase_AreRejectedWithReason()
    {
        Write("m temp=1 1");

        Write("m Temp=2 2").Errors.ShouldHaveSingleItem().Message.ShouldContain("case-insensitive");
        Write("M f=2 2").Errors.ShouldHaveSingleItem().Message.ShouldContain("conflicts with existing table 'm'");
    }

    [Fact]
    public void Validate_KnownColumnsOnly_DoesNotPersistCatalogAgain()
    {
        Write("m f=1 1");
        var saves = _persistence.Saved.Count;

        Write("m f=2 2");

        _persistence.Saved.Count.ShouldBe(saves);
    }

    [Fact]
    public void Validate_InvalidDatabaseName_Throws() =>
        Should.Throw<Errors.ScriptingException>(() =>
            WriteValidator.Validate(_catalog, "bad name", new LineProtocolParser().Parse("m f=1", Precision.Auto, 0), true))
            .Message.ShouldContain("invalid character");

    private sealed class RecordingPersistence : ICatalogPersistence
    {
        public List<CatalogSnapshot> Saved { get; } = [];

        public CatalogSnapshot? Load() => Saved.LastOrDefault();

        public void Save(CatalogSnapshot snapshot) => Saved.Add(snapshot);
    }
}

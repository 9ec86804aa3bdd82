using Scripting.Core.Catalog;
using Scripting.Storage.Catalog;

namespace Scripting.Storage.Tests.Catalog;

/// <summary>The catalog holds trigger arguments: only the server's user may read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = TempDirectory.Create("modes").Path;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheCatalog_IsWrittenReadableByTheServersUserOnly()
    {
        var catalog = new SchemaCatalog(new JsonCatalogPersistence(_directory));
        catalog.CreateDatabase("db");

        File.GetUnixFileMode(Path.Combine(_directory, "catalog.json")).ShouldBe(OwnerOnly);
        Directory.GetFiles(_directory).ShouldBe([Path.Combine(_directory, "catalog.json")]);
    }

    [Fact]
    public void ACatalogLeftReadableByOthers_IsRestrictedWhenRead()
    {
        new SchemaCatalog(new JsonCatalogPersistence(_directory)).CreateDatabase("db");
        var path = Path.Combine(_directory, "catalog.json");
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var reopened = new SchemaCatalog(new JsonCatalogPersistence(_directory));

        reopened.Databases.Select(d => d.Name).ShouldContain("db");
        File.GetUnixFileMode(path).ShouldBe(OwnerOnly);
    }
}

using Scripting.Core.Catalog;

namespace Scripting.Core.Tests.Catalog;

public sealed class NamesTests
{
    [Theory]
    [InlineData("sensors")]
    [InlineData("0db")]
    [InlineData("my_db-2")]
    [InlineData("db/rp")]
    public void ValidateDatabaseName_Valid_ReturnsNull(string name) => Names.ValidateDatabaseName(name).ShouldBeNull();

    [Theory]
    [InlineData("", "cannot be empty")]
    [InlineData("_db", "did not start with a number or letter")]
    [InlineData("my db", "invalid character")]
    [InlineData("db/", "at most one '/'")]
    [InlineData("a/b/c", "at most one '/'")]
    public void ValidateDatabaseName_Invalid_SaysWhy(string name, string reason) =>
        Names.ValidateDatabaseName(name)!.ShouldContain(reason);

    [Fact]
    public void ValidateDatabaseName_TooLong_SaysLimit() =>
        Names.ValidateDatabaseName(new string('a', 512))!.ShouldContain("max 511");
}

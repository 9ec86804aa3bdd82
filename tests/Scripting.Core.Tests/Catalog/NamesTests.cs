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

    [Theory]
    [InlineData("ci", true)]
    [InlineData("nightly import (eu)", true)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("bell\u0007", false)]
    [InlineData("esc\u001b[2J", false)]
    public void ObjectNames_RefuseControlCharactersAndSlashes(string name, bool valid) =>
        Names.IsValidObjectName(name).ShouldBe(valid);

    [Fact]
    public void ObjectNames_AtMost255Characters() =>
        (Names.IsValidObjectName(new string('t', 255)), Names.IsValidObjectName(new string('t', 256))).ShouldBe((true, false));

    [Fact]
    public void Printable_ShowsControlCharactersAsEscapes() =>
        Names.Printable("old\u001b[31mname\n").ShouldBe("old\\u001b[31mname\\u000a");
}

using Scripting.Core.LineProtocol;

namespace Scripting.Core.Tests.LineProtocol;

public sealed class SeriesKeyTests
{
    [Fact]
    public void TheHash_IgnoresTagOrder_AndTellsTagSetsApart()
    {
        var ab = SeriesKey.Hash([new Tag("a", "1"), new Tag("b", "2")]);
        SeriesKey.Hash([new Tag("b", "2"), new Tag("a", "1")]).ShouldBe(ab);
        SeriesKey.Hash([new Tag("a", "1")]).ShouldNotBe(ab);
        SeriesKey.Hash([new Tag("a", "2"), new Tag("b", "1")]).ShouldNotBe(ab);
        SeriesKey.Hash([new Tag("a", "12")]).ShouldNotBe(SeriesKey.Hash([new Tag("a1", "2")]));
    }

    [Fact]
    public void TheParser_GivesEachPointItsSeriesHash()
    {
        var batch = new LineProtocolParser().Parse("m,a=1,b=2 v=1 1\nm,b=2,a=1 v=2 1\nm,a=1 v=3 1\nm v=4 1", Precision.Nanosecond, 0);

        batch.Points.Select(p => p.Series).ShouldBe([
            SeriesKey.Hash([new Tag("a", "1"), new Tag("b", "2")]),
            SeriesKey.Hash([new Tag("a", "1"), new Tag("b", "2")]),
            SeriesKey.Hash([new Tag("a", "1")]),
            SeriesKey.Hash([])]);
    }
}

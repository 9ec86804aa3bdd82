using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

public sealed class SeriesIndexTests
{
    [Fact]
    public void APointIsNeverCalledNew_WhenItsSeriesHasOneThere()
    {
        // Forward runs, runs landing before others, backfills and exact repeats, against the set of times written.
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var covers = new Dictionary<ulong, SeriesCover>();
            var written = new HashSet<long>();
            for (var i = 0; i < 400; i++)
            {
                var time = random.Next(4) switch
                {
                    0 => written.Count == 0 ? 0 : written.Max() + random.Next(1, 5),
                    1 => random.Next(0, 2_000),
                    2 => written.Count == 0 ? 5 : written.ElementAt(random.Next(written.Count)),
                    _ => -random.Next(0, 2_000),
                };

                var isNew = SeriesIndex.Add(covers, 1, time);
                if (written.Contains(time))
                {
                    isNew.ShouldBeFalse($"time {time} was written before");
                }

                written.Add(time);
            }
        }
    }

    [Fact]
    public void WritingForward_AndABatchLandingFirst_StayOnTheAppendPath()
    {
        var covers = new Dictionary<ulong, SeriesCover>();
        Enumerable.Range(1_000, 100).All(t => SeriesIndex.Add(covers, 1, t)).ShouldBeTrue();
        Enumerable.Range(900, 100).All(t => SeriesIndex.Add(covers, 1, t)).ShouldBeTrue();
        Enumerable.Range(1_100, 100).All(t => SeriesIndex.Add(covers, 1, t)).ShouldBeTrue();
        SeriesIndex.Add(covers, 1, 950).ShouldBeFalse();
    }
}

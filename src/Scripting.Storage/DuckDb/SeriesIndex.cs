using Scripting.Core.LineProtocol;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// Where each series of each table has points, so most points can be appended without looking at
/// storage. Per series it keeps a few time intervals that together cover every stored point (a cover
/// may be wider than the points, never narrower): a point outside them cannot exist yet. Writing
/// forward extends the last interval; a batch that lands before another (two clients, or a backfill)
/// opens an interval of its own; past <see cref="MaxIntervals"/> the two closest merge. A series is
/// identified by <see cref="SeriesKey"/>'s hash of its tag set; series sharing a hash share a
/// cover, which can only send a point to the merge without need. Owned by the database's writer loop;
/// dropped whole when a commit fails and rebuilt from storage (one interval per series, its first to
/// its last time) on the next write to each table.
/// </summary>
internal sealed class SeriesIndex
{
    internal const int MaxIntervals = 8;
    private readonly Dictionary<string, Dictionary<ulong, SeriesCover>> _tables = new(StringComparer.Ordinal);

    /// <summary>The covers of <paramref name="table"/>'s series, loaded by <paramref name="load"/> on first use.</summary>
    public Dictionary<ulong, SeriesCover> Of(string table, Func<string, Dictionary<ulong, SeriesCover>> load)
    {
        if (!_tables.TryGetValue(table, out var covers))
        {
            _tables[table] = covers = load(table);
        }

        return covers;
    }

    /// <summary>Records a point at <paramref name="time"/>; true when its series cannot have had a point there, so it is new.</summary>
    public static bool Add(Dictionary<ulong, SeriesCover> covers, ulong series, long time)
    {
        ref var cover = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(covers, series, out var exists);
        if (!exists)
        {
            cover = new SeriesCover(time, time);
            return true;
        }

        return cover!.Add(time);
    }

    public void Clear() => _tables.Clear();
}

/// <summary>Sorted, disjoint time intervals that cover every stored point of one series.</summary>
internal sealed class SeriesCover
{
    // Pairs of (from, to); most series need one.
    private long[] _bounds;
    private int _count;

    // The last step forward; a jump much wider opens an interval, leaving a gap a late batch can fill.
    private long _step;

    public SeriesCover(long from, long to)
    {
        _bounds = [from, to];
        _count = 1;
    }

    /// <summary>Covers <paramref name="time"/>; true when it was not covered before.</summary>
    public bool Add(long time)
    {
        var last = (_count - 1) * 2;
        if (time > _bounds[last + 1])
        {
            var step = time - _bounds[last + 1];
            if (_step == 0 || step <= 2 * _step)
            {
                _bounds[last + 1] = time;
                _step = step;
            }
            else
            {
                Insert(_count, time);
                _step = 0;
            }

            return true;
        }

        // The interval ending last before the time, or -1.
        var below = -1;
        for (var i = _count - 1; i >= 0; i--)
        {
            if (time > _bounds[(i * 2) + 1])
            {
                below = i;
                break;
            }

            if (time >= _bounds[i * 2])
            {
                return false;
            }
        }

        if (below >= 0)
        {
            _bounds[(below * 2) + 1] = time;
        }
        else
        {
            Insert(0, time);
        }

        return true;
    }

    /// <summary>Opens [time, time] as interval <paramref name="index"/>, first merging the two closest when the cover is full.</summary>
    private void Insert(int index, long time)
    {
        if (_count == SeriesIndex.MaxIntervals)
        {
            var closest = 0;
            for (var i = 1; i < _count - 1; i++)
            {
                if (Gap(i) < Gap(closest))
                {
                    closest = i;
                }
            }

            _bounds[(closest * 2) + 1] = _bounds[((closest + 1) * 2) + 1];
            Array.Copy(_bounds, (closest + 2) * 2, _bounds, (closest + 1) * 2, (_count - closest - 2) * 2);
            _count--;
            if (index > closest)
            {
                index--;
            }
        }

        if (_bounds.Length < (_count + 1) * 2)
        {
            Array.Resize(ref _bounds, Math.Min(_bounds.Length * 2, SeriesIndex.MaxIntervals * 2));
        }

        Array.Copy(_bounds, index * 2, _bounds, (index + 1) * 2, (_count - index) * 2);
        _bounds[index * 2] = time;
        _bounds[(index * 2) + 1] = time;
        _count++;
    }

    private ulong Gap(int interval) => (ulong)(_bounds[(interval + 1) * 2] - _bounds[(interval * 2) + 1]);

    /// <summary>Widens the cover to [from, to] (a cover read from storage).</summary>
    public void Widen(long from, long to)
    {
        _bounds[0] = Math.Min(_bounds[0], from);
        _bounds[1] = Math.Max(_bounds[((_count - 1) * 2) + 1], to);
        _count = 1;
    }
}

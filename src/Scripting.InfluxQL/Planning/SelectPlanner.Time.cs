using System.Globalization;
using Scripting.InfluxQL.Syntax;

namespace Scripting.InfluxQL.Planning;

/// <summary>Time in a SELECT: the range its condition bounds, and the intervals <c>fill()</c> completes.</summary>
internal sealed partial class SelectPlanner
{
    /// <summary>
    /// <c>fill()</c> over <c>GROUP BY time()</c>: every interval from the one holding the condition's lower
    /// bound to the upper bound (now without one) gets a row; the empty ones, and empty values, are null
    /// (<c>count</c> 0), the given value, the previous value, or the line between the values around them.
    /// </summary>
    private static Series Filled(Series series, TimeDimension dimension, long lower, long upper, Fill fill, bool[] counts, bool descending)
    {
        const long MaxBuckets = 10_000_000;
        var interval = dimension.IntervalNanoseconds;
        var offset = ((dimension.OffsetNanoseconds % interval) + interval) % interval;
        var start = lower - ((((lower - offset) % interval) + interval) % interval);
        if ((upper - start) / interval > MaxBuckets)
        {
            throw InfluxQlErrors.Invalid($"GROUP BY time({interval}ns) over this time range makes more than {MaxBuckets:N0} intervals: narrow the time range or widen the interval");
        }

        var byTime = series.Values.ToDictionary(r => (long)r[0]!);
        var rows = new List<object?[]>();
        for (var t = start; t < upper; t += interval)
        {
            rows.Add(byTime.TryGetValue(t, out var row) ? (object?[])row.Clone() : [t, .. new object?[series.Columns.Count - 1]]);
        }

        for (var c = 1; c < series.Columns.Count; c++)
        {
            object? previous = null;
            for (var r = 0; r < rows.Count; r++)
            {
                if (rows[r][c] is not null)
                {
                    previous = rows[r][c];
                    continue;
                }

                rows[r][c] = fill.Kind switch
                {
                    FillKind.Null => counts[c - 1] ? 0L : null,
                    FillKind.Value => fill.Value,
                    FillKind.Previous => previous,
                    _ => Interpolated(rows, r, c) is { } line ? (previous is long ? (long)line : line) : null,
                };
            }
        }

        if (descending)
        {
            rows.Reverse();
        }

        return series with { Values = rows };
    }

    private static double? Interpolated(List<object?[]> rows, int at, int column)
    {
        var before = at - 1;
        while (before >= 0 && rows[before][column] is null)
        {
            before--;
        }

        var after = at + 1;
        while (after < rows.Count && rows[after][column] is null)
        {
            after++;
        }

        if (before < 0 || after >= rows.Count)
        {
            return null;
        }

        var (t0, t1, t) = ((long)rows[before][0]!, (long)rows[after][0]!, (long)rows[at][0]!);
        var (v0, v1) = (Convert.ToDouble(rows[before][column], CultureInfo.InvariantCulture), Convert.ToDouble(rows[after][column], CultureInfo.InvariantCulture));
        return v0 + ((v1 - v0) * (t - t0) / (t1 - t0));
    }

    private static (long? Lower, long? Upper) TimeRange(Expr? condition, Conditions conditions)
    {
        long? lower = null;
        long? upper = null;
        void Visit(Expr? e)
        {
            switch (e)
            {
                case Paren p:
                    Visit(p.Inner);
                    break;
                case Binary { Operator: "AND" } b:
                    Visit(b.Left);
                    Visit(b.Right);
                    break;
                case Binary { Left: VarRef { Name: var name } } b when name.Equals("time", StringComparison.OrdinalIgnoreCase):
                    var at = conditions.Time(b.Right);
                    switch (b.Operator)
                    {
                        case ">=":
                            lower = Math.Max(lower ?? long.MinValue, at);
                            break;
                        case ">":
                            lower = Math.Max(lower ?? long.MinValue, at + 1);
                            break;
                        case "<":
                            upper = Math.Min(upper ?? long.MaxValue, at);
                            break;
                        case "<=":
                            upper = Math.Min(upper ?? long.MaxValue, at + 1);
                            break;
                    }

                    break;
            }
        }

        Visit(condition);
        return (lower, upper);
    }
}

using Apache.Arrow;
using Apache.Arrow.Types;

namespace Scripting.InfluxQL;

/// <summary>
/// An InfluxQL result as one table, as InfluxDB 3 answers InfluxQL over Flight and
/// <c>/api/v3/query_influxql</c>: <c>iox::measurement</c> first, then <c>time</c>, the group's tags, then
/// the fields; tags and time marked with their InfluxDB column type, as the clients read them.
/// </summary>
public static class ResultTable
{
    private const string ColumnTypeKey = "iox::column::type";

    private static readonly TimestampType Nanoseconds = new(TimeUnit.Nanosecond, (string?)null);

    public static RecordBatch Of(IReadOnlyList<Series> series)
    {
        var tags = series.SelectMany(s => s.Tags?.Keys ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        var fields = series.SelectMany(s => s.Columns.Where((_, i) => i != s.TimeColumn)).Distinct().Where(c => !tags.Contains(c)).ToList();
        var rows = series.SelectMany(s => s.Values.Select(v => (Series: s, Row: v))).ToList();

        var schema = new List<Field>
        {
            new("iox::measurement", StringType.Default, nullable: false),
            new("time", Nanoseconds, nullable: true, new Dictionary<string, string> { [ColumnTypeKey] = "iox::column_type::timestamp" }),
        };
        var arrays = new List<IArrowArray>
        {
            Strings(rows.Select(r => r.Series.Name)),
            Times(rows.Select(r => r.Series.TimeColumn >= 0 ? r.Row[r.Series.TimeColumn] as long? : null)),
        };
        foreach (var tag in tags)
        {
            schema.Add(new Field(tag, StringType.Default, nullable: true, new Dictionary<string, string> { [ColumnTypeKey] = "iox::column_type::tag" }));
            arrays.Add(Strings(rows.Select(r => r.Series.Tags?.GetValueOrDefault(tag))));
        }

        foreach (var field in fields)
        {
            var values = rows.Select(r => r.Series.Columns.ToList().IndexOf(field) is var i and >= 0 ? r.Row[i] : null).ToList();
            var (type, array) = Values(values);
            schema.Add(new Field(field, type, nullable: true));
            arrays.Add(array);
        }

        return new RecordBatch(new Schema(schema, null), arrays, rows.Count);
    }

    private static (IArrowType Type, IArrowArray Array) Values(List<object?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        if (present.Count > 0 && present.All(v => v is long))
        {
            var builder = new Int64Array.Builder();
            values.ForEach(v => { if (v is long l) { builder.Append(l); } else { builder.AppendNull(); } });
            return (Int64Type.Default, builder.Build());
        }

        if (present.Count > 0 && present.All(v => v is ulong))
        {
            var builder = new UInt64Array.Builder();
            values.ForEach(v => { if (v is ulong u) { builder.Append(u); } else { builder.AppendNull(); } });
            return (UInt64Type.Default, builder.Build());
        }

        if (present.Count > 0 && present.All(v => v is double or long or ulong))
        {
            var builder = new DoubleArray.Builder();
            values.ForEach(v => { if (v is null) { builder.AppendNull(); } else { builder.Append(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)); } });
            return (DoubleType.Default, builder.Build());
        }

        if (present.Count > 0 && present.All(v => v is bool))
        {
            var builder = new BooleanArray.Builder();
            values.ForEach(v => { if (v is bool b) { builder.Append(b); } else { builder.AppendNull(); } });
            return (BooleanType.Default, builder.Build());
        }

        return (StringType.Default, Strings(values.Select(v => v is null ? null : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static StringArray Strings(IEnumerable<string?> values)
    {
        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            if (value is null)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(value);
            }
        }

        return builder.Build();
    }

    private static TimestampArray Times(IEnumerable<long?> values)
    {
        var builder = new Int64Array.Builder();
        foreach (var value in values)
        {
            if (value is { } nanoseconds)
            {
                builder.Append(nanoseconds);
            }
            else
            {
                builder.AppendNull();
            }
        }

        var integers = builder.Build();
        return new TimestampArray(new ArrayData(Nanoseconds, integers.Length, integers.NullCount, 0, integers.Data.Buffers, []));
    }
}

using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Scripting.Core.Queries;

namespace Scripting.Query.Results;

/// <summary>
/// Reads values out of Arrow arrays as the rest of the server speaks them: integers as long/ulong, floats as
/// double, timestamps as long nanoseconds, text, booleans; anything else as its text form.
/// </summary>
public static class ArrowValues
{
    public static QueryColumnType TypeOf(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Timestamp => QueryColumnType.Timestamp,

        // DuckDB's sum of integers is a 128-bit integer, which Arrow carries as a decimal without a scale;
        // InfluxDB's SQL sums 64-bit integers to a 64-bit integer.
        ArrowTypeId.Decimal128 when ((Decimal128Type)type).Scale == 0 => QueryColumnType.Integer,
        ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64 => QueryColumnType.Integer,
        ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64 => QueryColumnType.UInteger,
        ArrowTypeId.HalfFloat or ArrowTypeId.Float or ArrowTypeId.Double or ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256 => QueryColumnType.Float,
        ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.StringView => QueryColumnType.String,
        ArrowTypeId.Boolean => QueryColumnType.Boolean,
        ArrowTypeId.Duration => QueryColumnType.Duration,
        _ => QueryColumnType.Other,
    };

    public static IReadOnlyList<QueryColumn> Columns(Schema schema) =>
        schema.FieldsList.Select(f => new QueryColumn(f.Name, TypeOf(f.DataType))
        {
            TimeZone = f.DataType is TimestampType { Timezone: { Length: > 0 } zone } ? zone : null,
        }).ToArray();

    public static object? Get(IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            Int64Array a => a.GetValue(index),
            Int32Array a => (long)a.GetValue(index)!.Value,
            Int16Array a => (long)a.GetValue(index)!.Value,
            Int8Array a => (long)a.GetValue(index)!.Value,
            UInt64Array a => a.GetValue(index),
            UInt32Array a => (ulong)a.GetValue(index)!.Value,
            UInt16Array a => (ulong)a.GetValue(index)!.Value,
            UInt8Array a => (ulong)a.GetValue(index)!.Value,
            DoubleArray a => a.GetValue(index),
            FloatArray a => a.GetValue(index)!.Value,
            Decimal128Array a when ((Decimal128Type)a.Data.DataType).Scale == 0 => Integer(a, index),
            Decimal128Array a => Decimal(a, index),
            StringArray a => a.GetString(index),
            LargeStringArray a => a.GetString(index),
            StringViewArray a => a.GetString(index),
            BooleanArray a => a.GetValue(index),
            TimestampArray a => Nanoseconds(a.GetValue(index)!.Value, ((TimestampType)a.Data.DataType).Unit),
            MapArray a => Map(a, index),
            ListArray a => List(a.GetSlicedValues(index)),
            StructArray a => Struct(a, index),
            _ => Text(array, index),
        };
    }

    private static ListCollection List(IArrowArray items)
    {
        var values = new object?[items.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Get(items, i);
        }

        return new ListCollection(values, TypeOf(items.Data.DataType));
    }

    private static StructDictionary Struct(StructArray array, int index)
    {
        var type = (StructType)array.Data.DataType;
        var fields = new (string, object?, QueryColumnType)[type.Fields.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = (type.Fields[i].Name, Get(array.Fields[i], index), TypeOf(type.Fields[i].DataType));
        }

        return new StructDictionary(fields);
    }

    /// <summary>A map as its entries in order, keys as text.</summary>
    private static StructDictionary Map(MapArray array, int index)
    {
        var (start, end) = (array.ValueOffsets[index], array.ValueOffsets[index + 1]);
        var fields = new List<(string, object?, QueryColumnType)>();
        for (var i = start; i < end; i++)
        {
            fields.Add((Convert.ToString(Get(array.Keys, i), CultureInfo.InvariantCulture) ?? string.Empty, Get(array.Values, i), TypeOf(array.Values.Data.DataType)));
        }

        return new StructDictionary(fields);
    }

    private static long Integer(Decimal128Array array, int index)
    {
        var text = array.GetString(index);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new Core.Errors.ScriptingException(Core.Errors.ErrorKind.BadRequest, $"Arrow error: Compute error: Overflow happened on: {text} does not fit a 64-bit integer");
    }

    private static double Decimal(Decimal128Array array, int index)
    {
        try
        {
            return (double)array.GetValue(index)!.Value;
        }
        catch (OverflowException)
        {
            return double.Parse(array.GetString(index), CultureInfo.InvariantCulture);
        }
    }

    private static long Nanoseconds(long value, TimeUnit unit) => unit switch
    {
        TimeUnit.Second => value * 1_000_000_000L,
        TimeUnit.Millisecond => value * 1_000_000L,
        TimeUnit.Microsecond => value * 1_000L,
        _ => value,
    };

    /// <summary>The text form of values without a column type of their own: dates, times, lists, structs, bytes, intervals.</summary>
    private static string Text(IArrowArray array, int index)
    {
        var text = new StringBuilder();
        Append(text, array, index);
        return text.ToString();
    }

    private static void Append(StringBuilder text, IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            text.Append("NULL");
            return;
        }

        switch (array)
        {
            case Date32Array a:
                text.Append(a.GetDateOnly(index)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case Date64Array a:
                text.Append(a.GetDateOnly(index)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case Time64Array a:
                text.Append(TimeText(Nanoseconds(a.GetValue(index)!.Value, ((Time64Type)a.Data.DataType).Unit)));
                break;
            case Time32Array a:
                text.Append(TimeText(Nanoseconds(a.GetValue(index)!.Value, ((Time32Type)a.Data.DataType).Unit)));
                break;
            case BinaryArray a:
                text.Append(Convert.ToHexStringLower(a.GetBytes(index)));
                break;
            case ListArray a:
                var items = a.GetSlicedValues(index);
                text.Append('[');
                for (var i = 0; i < items.Length; i++)
                {
                    text.Append(i > 0 ? ", " : string.Empty);
                    AppendValue(text, items, i);
                }

                text.Append(']');
                break;
            case StructArray a:
                var fields = ((StructType)a.Data.DataType).Fields;
                text.Append('{');
                for (var i = 0; i < fields.Count; i++)
                {
                    text.Append(i > 0 ? ", " : string.Empty).Append(fields[i].Name).Append(": ");
                    AppendValue(text, a.Fields[i], index);
                }

                text.Append('}');
                break;
            case MonthDayNanosecondIntervalArray a:
                var interval = a.GetValue(index)!.Value;
                text.Append(CultureInfo.InvariantCulture, $"{interval.Months} mons {interval.Days} days {interval.Nanoseconds} ns");
                break;
            default:
                text.Append(Get(array, index) switch
                {
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    var other => other?.ToString(),
                });
                break;
        }
    }

    private static void AppendValue(StringBuilder text, IArrowArray array, int index)
    {
        var value = array.IsNull(index) ? null : Get(array, index);
        switch (value)
        {
            case null: text.Append("NULL"); break;
            case double d: text.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case bool b: text.Append(b ? "true" : "false"); break;
            case IFormattable f: text.Append(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: text.Append(value); break;
        }
    }

    private static string TimeText(long nanoseconds)
    {
        var time = TimeOnly.FromTimeSpan(TimeSpan.FromTicks(nanoseconds / 100));
        var fraction = nanoseconds % 1_000_000_000L;
        return fraction == 0
            ? time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : time.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "." + fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}

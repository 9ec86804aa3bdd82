using System.Collections;
using System.Globalization;
using System.Text;
using Scripting.Core.Queries;

namespace Scripting.Query.Results;

/// <summary>A list value of a result (<c>make_array</c>, <c>array_agg</c>): its items and their type. Prints as <c>[1, 2, 3]</c>.</summary>
public sealed class ListCollection(IReadOnlyList<object?> items, QueryColumnType itemType) : IReadOnlyList<object?>
{
    public QueryColumnType ItemType => itemType;

    public int Count => items.Count;

    public object? this[int index] => items[index];

    public IEnumerator<object?> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", items.Select(i => NestedText.Of(i, itemType))) + "]";
}

/// <summary>A struct value of a result (selectors, <c>named_struct</c>) or a map: fields in order with their types. Prints as <c>{value: 1, time: ...}</c>.</summary>
public sealed class StructDictionary(IReadOnlyList<(string Name, object? Value, QueryColumnType Type)> fields) : IReadOnlyDictionary<string, object?>
{
    public IReadOnlyList<(string Name, object? Value, QueryColumnType Type)> Fields => fields;

    public int Count => fields.Count;

    public IEnumerable<string> Keys => fields.Select(f => f.Name);

    public IEnumerable<object?> Values => fields.Select(f => f.Value);

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => fields.Any(f => f.Name == key);

    public bool TryGetValue(string key, out object? value)
    {
        foreach (var field in fields)
        {
            if (field.Name == key)
            {
                value = field.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.Select(f => new KeyValuePair<string, object?>(f.Name, f.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "{" + string.Join(", ", fields.Select(f => f.Name + ": " + NestedText.Of(f.Value, f.Type))) + "}";
}

/// <summary>How a value prints inside a list or struct, as Arrow's pretty printer prints it.</summary>
public static class NestedText
{
    public static string Of(object? value, QueryColumnType type) => value switch
    {
        null => "NULL",
        long ns when type == QueryColumnType.Timestamp => TimestampText(ns),
        double d => FloatText(d),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>ISO 8601 without zone; fractional seconds only when non-zero, in 3, 6 or 9 digits.</summary>
    public static string TimestampText(long nanoseconds)
    {
        var seconds = Math.DivRem(nanoseconds, 1_000_000_000L, out var fraction);
        if (fraction < 0)
        {
            fraction += 1_000_000_000L;
            seconds--;
        }

        var text = new StringBuilder(DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        if (fraction != 0)
        {
            text.Append('.').Append(fraction % 1_000_000 == 0 ? (fraction / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
                : fraction % 1_000 == 0 ? (fraction / 1_000).ToString("D6", CultureInfo.InvariantCulture)
                : fraction.ToString("D9", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Shortest round-trip form; integral values keep a ".0" so they read as floats.</summary>
    public static string FloatText(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}

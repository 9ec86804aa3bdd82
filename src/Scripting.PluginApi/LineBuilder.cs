using System.Globalization;
using System.Text;

namespace Scripting.PluginApi;

/// <summary>
/// Builds one line of line protocol, byte for byte as the Python <c>LineBuilder</c> of InfluxDB 3's
/// processing engine does. Adders return the builder so calls chain; adding an existing key again
/// replaces its value and keeps its position.
/// </summary>
/// <example><code>
/// var line = new LineBuilder("weather").Tag("city", "Paris").Float64Field("temp", 21.5).TimeNs(1742198400000000000);
/// influxdb3_local.Write(line);
/// </code></example>
public sealed partial class LineBuilder
{
    private readonly string _measurement;
    private readonly List<KeyValuePair<string, string>> _tags = [];
    private readonly List<KeyValuePair<string, string>> _fields = [];
    private long? _timeNanoseconds;

    /// <summary>Starts a line for <paramref name="measurement"/>.</summary>
    /// <exception cref="InvalidMeasurementError">The name contains a space.</exception>
    public LineBuilder(string measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (measurement.Contains(' ', StringComparison.Ordinal))
        {
            throw new InvalidMeasurementError("Measurement name cannot contain spaces");
        }

        _measurement = measurement;
    }

    /// <summary>Adds a tag; the value is escaped when the line is built.</summary>
    public LineBuilder Tag(string key, object? value)
    {
        ValidateKey(key, "tag");
        Set(_tags, key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None");
        return this;
    }

    /// <summary>Adds a signed 64-bit integer field, written as <c>&lt;value&gt;i</c>.</summary>
    public LineBuilder Int64Field(string key, long value)
    {
        ValidateKey(key, "field");
        Set(_fields, key, value.ToString(CultureInfo.InvariantCulture) + "i");
        return this;
    }

    /// <summary>Adds an unsigned 64-bit integer field, written as <c>&lt;value&gt;u</c>.</summary>
    public LineBuilder UInt64Field(string key, ulong value)
    {
        ValidateKey(key, "field");
        Set(_fields, key, value.ToString(CultureInfo.InvariantCulture) + "u");
        return this;
    }

    /// <summary>Adds an unsigned field from a signed value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public LineBuilder UInt64Field(string key, long value)
    {
        ValidateKey(key, "field");
        return value < 0
            ? throw new ArgumentOutOfRangeException(nameof(value), $"uint64 field '{key}' cannot be negative")
            : UInt64Field(key, (ulong)value);
    }

    /// <summary>Adds a float field: integral values print as <c>&lt;integer&gt;.0</c>, others as Python's repr.</summary>
    public LineBuilder Float64Field(string key, double value)
    {
        ValidateKey(key, "field");
        Set(_fields, key, FormatFloat(value));
        return this;
    }

    /// <summary>Adds a string field, quoted, with backslashes and double quotes escaped.</summary>
    public LineBuilder StringField(string key, object? value)
    {
        ValidateKey(key, "field");
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None";
        Set(_fields, key, "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        return this;
    }

    /// <summary>Adds a boolean field, written as <c>t</c> or <c>f</c>.</summary>
    public LineBuilder BoolField(string key, bool value)
    {
        ValidateKey(key, "field");
        Set(_fields, key, value ? "t" : "f");
        return this;
    }

    /// <summary>Sets the timestamp in nanoseconds since the Unix epoch; without one the server's time is used.</summary>
    public LineBuilder TimeNs(long nanoseconds)
    {
        _timeNanoseconds = nanoseconds;
        return this;
    }

    /// <summary>Returns the line.</summary>
    /// <exception cref="InvalidLineError">No field was added.</exception>
    public string Build()
    {
        var line = new StringBuilder(Escape(_measurement, measurement: true));
        foreach (var (key, value) in _tags)
        {
            line.Append(',').Append(key).Append('=').Append(Escape(value, measurement: false));
        }

        if (_fields.Count == 0)
        {
            throw new InvalidLineError($"At least one field is required: {line}");
        }

        line.Append(' ');
        for (var i = 0; i < _fields.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Escape(_fields[i].Key, measurement: false)).Append('=').Append(_fields[i].Value);
        }

        if (_timeNanoseconds is { } time)
        {
            line.Append(' ').Append(time.ToString(CultureInfo.InvariantCulture));
        }

        return line.ToString();
    }

    /// <inheritdoc cref="Build"/>
    public override string ToString() => Build();

    private static void Set(List<KeyValuePair<string, string>> items, string key, string value)
    {
        var index = items.FindIndex(item => string.Equals(item.Key, key, StringComparison.Ordinal));
        if (index >= 0)
        {
            items[index] = new(key, value);
        }
        else
        {
            items.Add(new(key, value));
        }
    }

    private static void ValidateKey(string key, string kind)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidKeyError($"{kind} key cannot be empty");
        }

        if (key.Contains(' ', StringComparison.Ordinal))
        {
            throw new InvalidKeyError($"{kind} key '{key}' cannot contain spaces");
        }

        if (key.Contains(',', StringComparison.Ordinal))
        {
            throw new InvalidKeyError($"{kind} key '{key}' cannot contain commas");
        }

        if (key.Contains('=', StringComparison.Ordinal))
        {
            throw new InvalidKeyError($"{kind} key '{key}' cannot contain equals signs");
        }
    }

    private static string Escape(string text, bool measurement)
    {
        if (measurement)
        {
            return text.Replace(",", "\\,", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);
        }

        return text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("=", "\\=", StringComparison.Ordinal)
            .Replace(" ", "\\ ", StringComparison.Ordinal);
    }

    /// <summary>
    /// Python's rendering: <c>int(v).0</c> for integral values (so 1e20 prints all its digits), else
    /// <c>repr(v)</c>: the shortest round-trip digits, in exponent form below 1e-4.
    /// </summary>
    internal static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (Math.Floor(value) == value)
        {
            var integral = new System.Numerics.BigInteger(value).ToString(CultureInfo.InvariantCulture);
            return (value == 0 && double.IsNegative(value) ? "-" + integral : integral) + ".0";
        }

        // The shortest round-trip digits and their decimal exponent, both read from one rendering
        // (a 17-digit rendering can carry a different exponent: 1e-06 is 9.9999999999999995E-007).
        var negative = value < 0;
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var power = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        var mantissaText = e < 0 ? shortest : shortest[..e];
        var point = mantissaText.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? mantissaText : mantissaText[..point];
        var all = whole + (point < 0 ? string.Empty : mantissaText[(point + 1)..]);
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.TrimStart('0').TrimEnd('0');
        var exponent = whole.Length - 1 + power - leadingZeros;
        if (exponent is >= -4 and < 16)
        {
            string text;
            if (exponent < 0)
            {
                text = "0." + new string('0', -exponent - 1) + digits;
            }
            else if (digits.Length > exponent + 1)
            {
                text = digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
            }
            else
            {
                text = digits.PadRight(exponent + 1, '0') + ".0";
            }

            return negative ? "-" + text : text;
        }

        var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        var sign = exponent < 0 ? "-" : "+";
        return (negative ? "-" : string.Empty) + mantissa + "e" + sign + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }
}

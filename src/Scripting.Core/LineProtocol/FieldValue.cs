using System.Globalization;
using System.Runtime.InteropServices;

namespace Scripting.Core.LineProtocol;

public enum FieldKind : byte
{
    Float,
    Integer,
    UInteger,
    String,
    Boolean,
}

/// <summary>A field value without boxing: numbers share one 8-byte slot, strings use the reference.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private FieldValue(FieldKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    public FieldKind Kind { get; }

    public static FieldValue Float(double value) => new(FieldKind.Float, BitConverter.DoubleToInt64Bits(value), null);
    public static FieldValue Integer(long value) => new(FieldKind.Integer, value, null);
    public static FieldValue UInteger(ulong value) => new(FieldKind.UInteger, unchecked((long)value), null);
    public static FieldValue String(string value) => new(FieldKind.String, 0, value);
    public static FieldValue Boolean(bool value) => new(FieldKind.Boolean, value ? 1 : 0, null);

    public double AsFloat => BitConverter.Int64BitsToDouble(_bits);
    public long AsInteger => _bits;
    public ulong AsUInteger => unchecked((ulong)_bits);
    public string AsString => _text ?? string.Empty;
    public bool AsBoolean => _bits != 0;

    public object ToObject() => Kind switch
    {
        FieldKind.Float => AsFloat,
        FieldKind.Integer => AsInteger,
        FieldKind.UInteger => AsUInteger,
        FieldKind.String => AsString,
        _ => AsBoolean,
    };

    public override string ToString() => Kind switch
    {
        FieldKind.Float => AsFloat.ToString("R", CultureInfo.InvariantCulture),
        FieldKind.Integer => AsInteger.ToString(CultureInfo.InvariantCulture) + "i",
        FieldKind.UInteger => AsUInteger.ToString(CultureInfo.InvariantCulture) + "u",
        FieldKind.String => AsString,
        _ => AsBoolean ? "true" : "false",
    };

    public bool Equals(FieldValue other) => Kind == other.Kind && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text);
    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);
    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);
}

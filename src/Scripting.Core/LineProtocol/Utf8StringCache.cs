using System.Text;

namespace Scripting.Core.LineProtocol;

/// <summary>
/// Turns short UTF-8 spans into strings, reusing the string when the same bytes were seen recently.
/// Measurement names, keys and most tag values repeat on every line of a batch; caching them removes
/// most of the parser's allocations. Direct-mapped: a collision simply replaces the slot.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int SlotCount = 4096;
    private const int MaxCachedLength = 128;
    private readonly byte[]?[] _keys = new byte[SlotCount][];
    private readonly string?[] _values = new string[SlotCount];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = hash.ToHashCode() & (SlotCount - 1);
        var key = _keys[slot];
        if (key is not null && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        var value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }
}

using System.Buffers.Binary;
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

        var slot = (int)(Hash(utf8) & (SlotCount - 1));
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

    /// <summary>A cheap multiplicative hash over 8-byte words; names are short, so this beats a general-purpose hash.</summary>
    private static ulong Hash(ReadOnlySpan<byte> utf8)
    {
        const ulong Prime = 0x100000001B3UL;
        var hash = (ulong)utf8.Length * 0x9E3779B97F4A7C15UL;
        var i = 0;
        for (; i + 8 <= utf8.Length; i += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8[i..])) * Prime;
        }

        for (; i < utf8.Length; i++)
        {
            hash = (hash ^ utf8[i]) * Prime;
        }

        return hash ^ (hash >> 29);
    }
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Scripting.Core.LineProtocol;

public sealed partial class LineProtocolParser
{
    private bool TryParseTags(ReadOnlySpan<byte> line, ref int position, LineProtocolBatch batch, out string error)
    {
        var first = batch.TagCount;
        while (position < line.Length && line[position] == (byte)',')
        {
            position++;
            var keyEnd = ScanName(line, position, stopAtEquals: true);
            if (keyEnd == position)
            {
                error = $"Tag set malformed: expected tag key, got '{Quote(line[position..])}'";
                return false;
            }

            if (keyEnd >= line.Length || line[keyEnd] != (byte)'=')
            {
                error = $"Tag set malformed: tag key '{Quote(line[position..keyEnd])}' has no '=' and value";
                return false;
            }

            var key = line[position..keyEnd];
            if (key[^1] == (byte)'\\')
            {
                error = BackslashError("tag key", key);
                return false;
            }

            var valueStart = keyEnd + 1;
            var valueEnd = ScanName(line, valueStart, stopAtEquals: false);
            if (valueEnd == valueStart)
            {
                error = $"Tag set malformed: expected tag value for key '{Quote(key)}'";
                return false;
            }

            var value = line[valueStart..valueEnd];
            if (value[^1] == (byte)'\\')
            {
                error = BackslashError("tag value", value);
                return false;
            }

            var slot = 1 + batch.TagCount - first;
            batch.AddTag(new Tag(Name(key, slot < 32 ? slot : int.MaxValue, measurementEscapes: false), Unescape(value, measurementEscapes: false)));
            position = valueEnd;
        }

        error = string.Empty;
        return true;
    }

    private bool TryParseFields(ReadOnlySpan<byte> line, ref int position, LineProtocolBatch batch, out string error)
    {
        var first = batch.FieldCount;
        while (true)
        {
            var keyEnd = ScanName(line, position, stopAtEquals: true);
            if (keyEnd == position)
            {
                error = $"Invalid field: expected a field key, got '{Quote(line[position..])}'";
                return false;
            }

            var key = line[position..keyEnd];
            if (keyEnd >= line.Length || line[keyEnd] != (byte)'=')
            {
                error = $"Invalid field '{Quote(key)}': expected '=' and a value after the field key";
                return false;
            }

            if (key[^1] == (byte)'\\')
            {
                error = BackslashError("field key", key);
                return false;
            }

            var slot = 32 + batch.FieldCount - first;
            var name = Name(key, slot < 64 ? slot : int.MaxValue, measurementEscapes: false);
            position = keyEnd + 1;
            if (!TryParseFieldValue(line, ref position, name, out var value, out error))
            {
                return false;
            }

            var fields = batch.FieldCount;
            for (var i = first; i < fields; i++)
            {
                if (string.Equals(batch.FieldAt(i).Key, name, StringComparison.Ordinal))
                {
                    error = $"invalid line protocol - multiple instances of '{name}' field found";
                    return false;
                }
            }

            batch.AddField(new Field(name, value));
            if (position < line.Length && line[position] == (byte)',')
            {
                position++;
                continue;
            }

            if (position < line.Length && line[position] != (byte)' ')
            {
                error = $"Invalid value for field '{name}': unexpected '{Quote(line[position..])}' after the value";
                return false;
            }

            error = string.Empty;
            return true;
        }
    }

    private static bool TryParseFieldValue(ReadOnlySpan<byte> line, ref int position, string name, out FieldValue value, out string error)
    {
        value = default;
        if (position >= line.Length || line[position] is (byte)' ' or (byte)',')
        {
            error = $"Invalid value for field '{name}': the value is missing";
            return false;
        }

        if (line[position] == (byte)'"')
        {
            return TryParseString(line, ref position, name, out value, out error);
        }

        var end = position;
        while (end < line.Length && line[end] is not ((byte)',' or (byte)' '))
        {
            end++;
        }

        var token = line[position..end];
        position = end;
        error = string.Empty;
        var last = token[^1];
        if (last == (byte)'i' && IsSignedDigits(token[..^1]))
        {
            if (Utf8Parser.TryParse(token[..^1], out long integer, out var used) && used == token.Length - 1)
            {
                value = FieldValue.Integer(integer);
                return true;
            }

            error = $"Unable to parse integer value '{Quote(token)}' for field '{name}': out of range for a signed 64-bit integer";
            return false;
        }

        if (last == (byte)'u' && token.Length > 1 && token[..^1].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            if (Utf8Parser.TryParse(token[..^1], out ulong unsigned, out var used) && used == token.Length - 1)
            {
                value = FieldValue.UInteger(unsigned);
                return true;
            }

            error = $"Unable to parse unsigned integer value '{Quote(token)}' for field '{name}': out of range for an unsigned 64-bit integer";
            return false;
        }

        if (IsFloat(token))
        {
            var number = TryFastFloat(token, out var fast) ? fast : double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(number))
            {
                error = $"Unable to parse float value '{Quote(token)}' for field '{name}': out of range";
                return false;
            }

            value = FieldValue.Float(number);
            return true;
        }

        switch (Encoding.ASCII.GetString(token))
        {
            case "t" or "T" or "true" or "True" or "TRUE":
                value = FieldValue.Boolean(true);
                return true;
            case "f" or "F" or "false" or "False" or "FALSE":
                value = FieldValue.Boolean(false);
                return true;
        }

        error = $"Invalid value '{Quote(token)}' for field '{name}': expected a float (1.5), an integer (1i), an unsigned integer (1u), a quoted string or a boolean (true/false)";
        return false;
    }

    private static bool TryParseString(ReadOnlySpan<byte> line, ref int position, string name, out FieldValue value, out string error)
    {
        value = default;
        var start = position + 1;
        var i = start;
        var hasEscape = false;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == (byte)'\\' && i + 1 < line.Length && line[i + 1] is (byte)'"' or (byte)'\\')
            {
                hasEscape = true;
                i += 2;
                continue;
            }

            if (c == (byte)'"')
            {
                break;
            }

            i++;
        }

        if (i >= line.Length)
        {
            error = $"Invalid value for field '{name}': the string starting '{Quote(line[position..])}' has no closing quote";
            return false;
        }

        var raw = line[start..i];
        if (raw.Length > MaxStringFieldBytes)
        {
            error = $"String is greater than 64KB (field '{name}' has {raw.Length} bytes)";
            return false;
        }

        position = i + 1;
        var text = hasEscape ? UnescapeString(raw) : Encoding.UTF8.GetString(raw);
        value = FieldValue.String(text);
        error = string.Empty;
        return true;
    }

    private static string UnescapeString(ReadOnlySpan<byte> raw)
    {
        var buffer = new byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length && raw[i + 1] is (byte)'"' or (byte)'\\')
            {
                i++;
            }

            buffer[length++] = raw[i];
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}

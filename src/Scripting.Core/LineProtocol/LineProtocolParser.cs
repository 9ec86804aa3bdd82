using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Scripting.Core.LineProtocol;

/// <summary>
/// Parses InfluxDB line protocol from UTF-8 bytes (reference section 7.3).
/// A body is split at newlines outside double-quoted strings; each line is parsed on its own so a
/// bad line yields one <see cref="LineError"/> and never affects its neighbours.
/// Line numbers are the physical line numbers of the body (1-based), so they match an editor.
/// </summary>
public sealed partial class LineProtocolParser
{
    private const int MaxStringFieldBytes = 64 * 1024;
    private static readonly SearchValues<byte> LineBreakOrQuote = SearchValues.Create("\n\"\\"u8);
    private readonly Utf8StringCache _strings = new();
    private readonly (byte[]? Bytes, string? Value)[] _recentNames = new (byte[]?, string?)[64];

    /// <summary>Parses a whole body.</summary>
    /// <param name="body">UTF-8 line protocol.</param>
    /// <param name="precision">Unit of the timestamps.</param>
    /// <param name="defaultTimeNanoseconds">Time given to lines without a timestamp.</param>
    /// <param name="into">A batch to fill (cleared first) so its lists can be reused; a new one when null.</param>
    public LineProtocolBatch Parse(ReadOnlyMemory<byte> body, Precision precision, long defaultTimeNanoseconds, LineProtocolBatch? into = null)
    {
        var batch = Parse(body.Span, precision, defaultTimeNanoseconds, into);
        batch.Source = body;
        return batch;
    }

    /// <summary>Parses a whole body.</summary>
    public LineProtocolBatch Parse(ReadOnlySpan<byte> body, Precision precision, long defaultTimeNanoseconds, LineProtocolBatch? into = null)
    {
        var batch = into ?? new LineProtocolBatch(Math.Max(16, body.Length / 64));
        batch.Clear();
        if (precision != Precision.Auto)
        {
            var unit = PrecisionNames.Multiplier(precision);
            defaultTimeNanoseconds -= ((defaultTimeNanoseconds % unit) + unit) % unit;
        }

        var lineNumber = 1;
        var offset = 0;
        while (offset < body.Length)
        {
            var (length, newlines) = NextLineLength(body[offset..]);
            ParseLine(body, offset, length, lineNumber, precision, defaultTimeNanoseconds, batch);
            offset += length + 1;
            lineNumber += newlines + 1;
        }

        return batch;
    }

    public LineProtocolBatch Parse(string body, Precision precision, long defaultTimeNanoseconds) =>
        Parse(Encoding.UTF8.GetBytes(body).AsMemory(), precision, defaultTimeNanoseconds);

    /// <summary>Length of the next line (up to, not including, its newline) and the newlines inside quotes.</summary>
    private static (int Length, int QuotedNewlines) NextLineLength(ReadOnlySpan<byte> body)
    {
        var inQuote = false;
        var quotedNewlines = 0;
        var position = 0;
        while (true)
        {
            var next = body[position..].IndexOfAny(LineBreakOrQuote);
            if (next < 0)
            {
                return (body.Length, quotedNewlines);
            }

            position += next;
            switch (body[position])
            {
                case (byte)'\\':
                    position += 2;
                    if (position >= body.Length)
                    {
                        return (body.Length, quotedNewlines);
                    }

                    continue;
                case (byte)'"':
                    inQuote = !inQuote;
                    break;
                default:
                    if (!inQuote)
                    {
                        return (position, quotedNewlines);
                    }

                    quotedNewlines++;
                    break;
            }

            position++;
            if (position >= body.Length)
            {
                return (body.Length, quotedNewlines);
            }
        }
    }

    private void ParseLine(ReadOnlySpan<byte> body, int offset, int length, int lineNumber, Precision precision, long defaultTime, LineProtocolBatch batch)
    {
        var line = body.Slice(offset, length);
        var start = 0;
        while (start < line.Length && line[start] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            start++;
        }

        line = line[start..];
        if (line.IsEmpty || line[0] == (byte)'#')
        {
            return;
        }

        if (line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        batch.LineCount++;
        var tagMark = batch.TagCount;
        var fieldMark = batch.FieldCount;
        if (!TryParsePoint(line, offset + start, lineNumber, precision, defaultTime, batch, out var error))
        {
            batch.Truncate(tagMark, fieldMark);
            batch.Errors.Add(new LineError(lineNumber, error, Preview(line)));
        }
    }

    private static string Preview(ReadOnlySpan<byte> line)
    {
        const int MaxPreview = 200;
        var text = Encoding.UTF8.GetString(line.Length > MaxPreview ? line[..MaxPreview] : line);
        return line.Length > MaxPreview ? text + "..." : text;
    }

    private static string Quote(ReadOnlySpan<byte> text)
    {
        const int MaxQuoted = 40;
        var shown = Encoding.UTF8.GetString(text.Length > MaxQuoted ? text[..MaxQuoted] : text);
        return text.Length > MaxQuoted ? shown + "..." : shown;
    }

    private bool TryParsePoint(ReadOnlySpan<byte> line, int lineStart, int lineNumber, Precision precision, long defaultTime, LineProtocolBatch batch, out string error)
    {
        var position = 0;

        // Measurement: up to an unescaped space or comma.
        var measurementEnd = ScanName(line, position, stopAtEquals: false);
        if (measurementEnd == position)
        {
            error = "Invalid measurement was provided: a line must start with a measurement name";
            return false;
        }

        if (line[measurementEnd - 1] == (byte)'\\')
        {
            error = BackslashError("measurement", line[..measurementEnd]);
            return false;
        }

        var measurement = Name(line[..measurementEnd], 0, measurementEscapes: true);
        position = measurementEnd;

        var tagStart = batch.TagCount;
        if (position < line.Length && line[position] == (byte)',')
        {
            if (!TryParseTags(line, ref position, batch, out error))
            {
                return false;
            }
        }

        var tagCount = batch.TagCount - tagStart;
        var spaces = SkipSpaces(line, ref position);
        if (position >= line.Length)
        {
            error = $"No fields were provided for measurement '{measurement}'";
            return false;
        }

        if (spaces == 0)
        {
            error = $"Tag set malformed: expected a space before the fields, found '{Quote(line[position..])}'";
            return false;
        }

        var fieldStart = batch.FieldCount;
        if (!TryParseFields(line, ref position, batch, out error))
        {
            return false;
        }

        var fieldCount = batch.FieldCount - fieldStart;
        var time = defaultTime;
        SkipSpaces(line, ref position);
        if (position < line.Length)
        {
            var timestampEnd = position;
            while (timestampEnd < line.Length && line[timestampEnd] != (byte)' ')
            {
                timestampEnd++;
            }

            var token = line[position..timestampEnd];
            if (!IsSignedDigits(token) || !Utf8Parser.TryParse(token, out long timestamp, out var consumed) || consumed != token.Length)
            {
                error = IsSignedDigits(token)
                    ? $"Invalid timestamp '{Quote(token)}': it does not fit in a signed 64-bit integer"
                    : $"Invalid timestamp '{Quote(token)}': expected an integer";
                return false;
            }

            if (!PrecisionNames.TryToNanoseconds(timestamp, precision, out time))
            {
                error = $"timestamp, {timestamp}, out of range for precision: {PrecisionNames.WireName(precision)}";
                return false;
            }

            position = timestampEnd;
            SkipSpaces(line, ref position);
            if (position < line.Length)
            {
                error = $"Could not parse entire line. Found trailing content: '{Quote(line[position..])}'";
                return false;
            }
        }

        batch.Add(new Point(measurement, tagStart, tagCount, fieldStart, fieldCount, time, lineNumber, lineStart, line.Length, SeriesKey.Hash(batch.TagsAt(tagStart, tagCount))));
        error = string.Empty;
        return true;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> line, ref int position)
    {
        var start = position;
        while (position < line.Length && line[position] == (byte)' ')
        {
            position++;
        }

        return position - start;
    }

    private static bool IsSignedDigits(ReadOnlySpan<byte> token)
    {
        var digits = token.Length > 0 && token[0] == (byte)'-' ? token[1..] : token;
        return !digits.IsEmpty && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    private static string BackslashError(string what, ReadOnlySpan<byte> text) =>
        $"Measurements, tag keys and values, and field keys may not end with a backslash ({what} '{Quote(text)}')";

    /// <summary>Index of the first unescaped stop character at or after <paramref name="position"/>.</summary>
    private static int ScanName(ReadOnlySpan<byte> line, int position, bool stopAtEquals)
    {
        while (position < line.Length)
        {
            var c = line[position];
            if (c == (byte)'\\')
            {
                position += position + 1 < line.Length ? 2 : 1;
                continue;
            }

            if (c == (byte)' ' || c == (byte)',' || (stopAtEquals && c == (byte)'='))
            {
                return position;
            }

            position++;
        }

        return position;
    }

    /// <summary>
    /// Names (measurement, tag keys, field keys) nearly always repeat at the same position on every line;
    /// comparing with the previous line's bytes at that position is cheaper than hashing into the cache.
    /// Slot 0 is the measurement, 1-31 tag keys, 32-63 field keys.
    /// </summary>
    private string Name(ReadOnlySpan<byte> raw, int slot, bool measurementEscapes)
    {
        if ((uint)slot < (uint)_recentNames.Length)
        {
            ref var recent = ref _recentNames[slot];
            if (recent.Bytes is not null && raw.SequenceEqual(recent.Bytes))
            {
                return recent.Value!;
            }

            var value = Unescape(raw, measurementEscapes);
            recent = (raw.ToArray(), value);
            return value;
        }

        return Unescape(raw, measurementEscapes);
    }

    private string Unescape(ReadOnlySpan<byte> text, bool measurementEscapes)
    {
        if (text.IndexOf((byte)'\\') < 0)
        {
            return _strings.Get(text);
        }

        var buffer = text.Length <= 256 ? stackalloc byte[text.Length] : new byte[text.Length];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == (byte)'\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                var escapable = next is (byte)',' or (byte)' ' or (byte)'\\' || (!measurementEscapes && next == (byte)'=');
                if (escapable)
                {
                    buffer[length++] = next;
                    i++;
                    continue;
                }
            }

            buffer[length++] = c;
        }

        return _strings.Get(buffer[..length]);
    }
}

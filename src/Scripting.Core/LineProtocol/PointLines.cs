namespace Scripting.Core.LineProtocol;

/// <summary>
/// Lines as the store would keep them: lines naming the same point (table, tag set, timestamp) become
/// one line at the first one's place, with the fields of all of them, a later line's value winning.
/// Used where written lines are reported rather than stored (dry runs). Lines without a timestamp, and
/// lines that do not parse, are left as they are: their time, or their error, is decided when written.
/// </summary>
public static class PointLines
{
    public static List<string> Merge(IReadOnlyList<string> lines)
    {
        var merged = new List<string>(lines.Count);
        var points = new Dictionary<string, (int Index, string Series, List<(string Key, string Value)> Fields, string Time)>(StringComparer.Ordinal);
        var parser = new LineProtocolParser();
        foreach (var line in lines)
        {
            var batch = parser.Parse(line, Precision.Nanosecond, long.MinValue);
            if (batch.Points.Count != 1 || batch.Points[0].TimeNanoseconds == long.MinValue || Split(line) is not { } parts)
            {
                merged.Add(line);
                continue;
            }

            var point = batch.Points[0];
            var tags = batch.TagsOf(point).ToArray().Select(t => t.Key + "=" + t.Value).Order(StringComparer.Ordinal);
            var identity = string.Join('\0', tags.Prepend(point.Measurement).Append(point.TimeNanoseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (!points.TryGetValue(identity, out var known))
            {
                points[identity] = (merged.Count, parts.Series, parts.Fields, parts.Time);
                merged.Add(line);
                continue;
            }

            foreach (var field in parts.Fields)
            {
                var at = known.Fields.FindIndex(f => f.Key == field.Key);
                if (at >= 0)
                {
                    known.Fields[at] = field;
                }
                else
                {
                    known.Fields.Add(field);
                }
            }

            merged[known.Index] = $"{known.Series} {string.Join(',', known.Fields.Select(f => f.Key + "=" + f.Value))} {known.Time}";
        }

        return merged;
    }

    /// <summary>A line's series text, its fields as (key, value) text, and its timestamp text; null when it has no timestamp.</summary>
    private static (string Series, List<(string Key, string Value)> Fields, string Time)? Split(string line)
    {
        var seriesEnd = NextUnescaped(line, 0, ' ', quotes: false);
        var fieldsEnd = seriesEnd < 0 ? -1 : NextUnescaped(line, seriesEnd + 1, ' ', quotes: true);
        if (fieldsEnd < 0)
        {
            return null;
        }

        var fields = new List<(string, string)>();
        var start = seriesEnd + 1;
        while (start < fieldsEnd)
        {
            var end = NextUnescaped(line, start, ',', quotes: true);
            end = end < 0 || end > fieldsEnd ? fieldsEnd : end;
            var equals = NextUnescaped(line, start, '=', quotes: false);
            fields.Add((line[start..equals], line[(equals + 1)..end]));
            start = end + 1;
        }

        return (line[..seriesEnd], fields, line[(fieldsEnd + 1)..].Trim());
    }

    private static int NextUnescaped(string line, int from, char wanted, bool quotes)
    {
        var quoted = false;
        for (var i = from; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\')
            {
                i++;
            }
            else if (quotes && c == '"')
            {
                quoted = !quoted;
            }
            else if (c == wanted && !quoted)
            {
                return i;
            }
        }

        return -1;
    }
}

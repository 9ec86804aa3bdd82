namespace Scripting.Core.LineProtocol;

public readonly record struct Tag(string Key, string Value);

public readonly record struct Field(string Key, FieldValue Value);

/// <summary>One parsed line; its tags and fields live in the batch's shared arrays. <paramref name="Series"/> is <see cref="SeriesKey"/>'s hash of its tags.</summary>
public readonly record struct Point(string Measurement, int TagStart, int TagCount, int FieldStart, int FieldCount, long TimeNanoseconds, int LineNumber, int LineStart, int LineLength, ulong Series);

/// <summary>A line that could not be parsed or stored, as the write API reports it.</summary>
public sealed record LineError(int LineNumber, string Message, string OriginalLine);

/// <summary>
/// The result of parsing a body: the good points in input order, and an error per bad line.
/// Tags and fields of all points are stored in two flat lists so a large body costs few allocations.
/// </summary>
public sealed class LineProtocolBatch
{
    private readonly List<Tag> _tags;
    private readonly List<Field> _fields;

    public LineProtocolBatch(int capacity = 16)
    {
        Points = new List<Point>(capacity);
        _tags = new List<Tag>(capacity * 2);
        _fields = new List<Field>(capacity * 3);
    }

    public List<Point> Points { get; }
    public List<LineError> Errors { get; } = [];

    /// <summary>Count of lines that were neither blank nor comments.</summary>
    public int LineCount { get; internal set; }

    public ReadOnlySpan<Tag> TagsOf(in Point point) => TagsAt(point.TagStart, point.TagCount);

    internal ReadOnlySpan<Tag> TagsAt(int start, int count) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tags).Slice(start, count);

    public ReadOnlySpan<Field> FieldsOf(in Point point) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_fields).Slice(point.FieldStart, point.FieldCount);

    /// <summary>The parsed body, kept so errors found after parsing can quote their line.</summary>
    internal ReadOnlyMemory<byte> Source { get; set; }

    /// <summary>The text of a point's line (up to 200 characters), for error reports.</summary>
    public string LineText(in Point point)
    {
        if (Source.Length < point.LineStart + point.LineLength)
        {
            return point.Measurement;
        }

        var length = Math.Min(point.LineLength, 200);
        var text = System.Text.Encoding.UTF8.GetString(Source.Span.Slice(point.LineStart, length));
        return length < point.LineLength ? text + "..." : text;
    }

    internal int TagCount => _tags.Count;
    internal int FieldCount => _fields.Count;

    internal Field FieldAt(int index) => _fields[index];

    internal void AddTag(Tag tag) => _tags.Add(tag);
    internal void AddField(Field field) => _fields.Add(field);

    internal void Truncate(int tagCount, int fieldCount)
    {
        _tags.RemoveRange(tagCount, _tags.Count - tagCount);
        _fields.RemoveRange(fieldCount, _fields.Count - fieldCount);
    }

    internal void Add(Point point) => Points.Add(point);

    /// <summary>Empties the batch, keeping its lists' capacity.</summary>
    public void Clear()
    {
        Points.Clear();
        Errors.Clear();
        _tags.Clear();
        _fields.Clear();
        LineCount = 0;
        Source = default;
    }
}

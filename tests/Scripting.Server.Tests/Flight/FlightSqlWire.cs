using Google.Protobuf;

namespace Scripting.Server.Tests.Flight;

/// <summary>
/// Flight SQL's messages written and read by hand, with the field numbers of Apache Arrow's FlightSql.proto,
/// as a driver puts them on the wire; independent of the server's own definitions, so a wrong field number
/// there fails here.
/// </summary>
internal static class FlightSqlWire
{
    private const string Prefix = "type.googleapis.com/arrow.flight.protocol.sql.";

    /// <summary><c>google.protobuf.Any { type_url = 1; value = 2; }</c> around a Flight SQL message.</summary>
    public static byte[] Any(string message, byte[] value) => Message(w =>
    {
        w.WriteTag(1, WireFormat.WireType.LengthDelimited);
        w.WriteString(Prefix + message);
        w.WriteTag(2, WireFormat.WireType.LengthDelimited);
        w.WriteBytes(ByteString.CopyFrom(value));
    });

    /// <summary>A message of string, bytes, bool and repeated uint32 fields, by number.</summary>
    public static byte[] Message(params (int Field, object Value)[] fields) => Message(w =>
    {
        foreach (var (field, value) in fields)
        {
            switch (value)
            {
                case string text:
                    w.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    w.WriteString(text);
                    break;
                case byte[] bytes:
                    w.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    w.WriteBytes(ByteString.CopyFrom(bytes));
                    break;
                case bool flag:
                    w.WriteTag(field, WireFormat.WireType.Varint);
                    w.WriteBool(flag);
                    break;
                case uint number:
                    w.WriteTag(field, WireFormat.WireType.Varint);
                    w.WriteUInt32(number);
                    break;
            }
        }
    });

    public static byte[] Command(string message, params (int Field, object Value)[] fields) => Any(message, Message(fields));

    /// <summary>The length-delimited fields of a message, by number (the last one wins), and the type URL when it is an Any.</summary>
    public static Dictionary<int, byte[]> Fields(ReadOnlySpan<byte> bytes)
    {
        var fields = new Dictionary<int, byte[]>();
        var input = new CodedInputStream(bytes.ToArray());
        while (input.ReadTag() is var tag and not 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                fields[WireFormat.GetTagFieldNumber(tag)] = input.ReadBytes().ToByteArray();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return fields;
    }

    /// <summary>The type URL and value of an Any.</summary>
    public static (string TypeUrl, byte[] Value) Unpack(ReadOnlySpan<byte> bytes)
    {
        var fields = Fields(bytes);
        return (System.Text.Encoding.UTF8.GetString(fields[1]), fields.GetValueOrDefault(2, []));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }
}

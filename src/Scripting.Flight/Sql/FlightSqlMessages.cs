using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Scripting.Flight.Sql;

/// <summary>How Flight SQL's messages travel: packed in <c>google.protobuf.Any</c>, in descriptors, tickets and action bodies.</summary>
internal static class FlightSqlMessages
{
    public const string TypeUrlPrefix = "type.googleapis.com/arrow.flight.protocol.sql.";

    /// <summary>The Any in <paramref name="bytes"/> when it is one of Flight SQL's messages, else null.</summary>
    public static Any? Command(ByteString bytes)
    {
        if (bytes.IsEmpty || bytes[0] == (byte)'{')
        {
            return null; // a JSON ticket (InfluxDB 3's own), not a protobuf message
        }

        try
        {
            var any = Any.Parser.ParseFrom(bytes);
            return any.TypeUrl.StartsWith(TypeUrlPrefix, StringComparison.Ordinal) ? any : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The short name of the message in <paramref name="any"/>, such as <c>CommandGetTables</c>.</summary>
    public static string Name(Any any) => any.TypeUrl[(any.TypeUrl.LastIndexOf('.') + 1)..];

    public static T Unpack<T>(Any any)
        where T : IMessage<T>, new()
    {
        try
        {
            return any.Unpack<T>();
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid {Name(any)}: {error.Message}"));
        }
    }

    public static ByteString Packed(IMessage message) => Any.Pack(message).ToByteString();
}

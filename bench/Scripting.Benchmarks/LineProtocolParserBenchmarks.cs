using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Scripting.Core.LineProtocol;

namespace Scripting.Benchmarks;

/// <summary>
/// Parsing speed for the seed's `home` line shape on one core. Lines per second = Lines / mean time.
/// Target: at least 2 million lines per second.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolParserBenchmarks
{
    public const int Lines = 10_000;
    private readonly LineProtocolParser _parser = new();
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup() => _body = HomeLines(Lines);

    private readonly LineProtocolBatch _batch = new();

    /// <summary>As the server parses: into a batch reused from an earlier write.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int ParseHomeLines() => _parser.Parse(_body.AsSpan(), Precision.Auto, 0, _batch).Points.Count;

    /// <summary>Into a new batch each time, which allocates its lists.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int ParseHomeLinesFreshBatch() => _parser.Parse(_body.AsSpan(), Precision.Auto, 0).Points.Count;

    public static byte[] HomeLines(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var room = i % 2 == 0 ? "Living\\ Room" : "Kitchen";
            text.Append(CultureInfo.InvariantCulture, $"home,room={room} temp=2{i % 10}.{i % 7},hum=35.{i % 9},co={i % 3}i {1742198400 + i}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}

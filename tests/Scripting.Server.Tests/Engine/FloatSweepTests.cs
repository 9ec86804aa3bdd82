using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Scripting.PluginApi;

namespace Scripting.Server.Tests.Engine;

/// <summary>
/// LineBuilder writes every finite double with the digits Python gives it (upstream's LineBuilder uses
/// <c>str(float)</c>, and <c>int(v).0</c> for integral values), and what a plugin writes is stored and
/// read back bit for bit.
/// </summary>
public sealed class FloatSweepTests : IAsyncLifetime
{
    private const string RequestSignature = EngineServer.CSharpRequestSignature;
    private static readonly double[] Values = Sweep();
    private EngineServer _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await EngineServer.StartAsync(runTimeout: TimeSpan.FromSeconds(60));
        await _engine.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "floats" });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    /// <summary>Powers of ten from 1e-320 to 1e308 and their neighbours, subnormals, +-0, values near 2^53, random doubles.</summary>
    private static double[] Sweep()
    {
        var values = new List<double> { 0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014e-308 };
        for (var k = -320; k <= 308; k++)
        {
            var power = double.Parse($"1e{k}", CultureInfo.InvariantCulture);
            foreach (var v in new[] { power, Math.BitDecrement(power), Math.BitIncrement(power), power * 1.5, power * 2.5 }.Where(double.IsFinite))
            {
                values.Add(v);
                values.Add(-v);
            }
        }

        for (var k = -2_000; k <= 2_000; k++)
        {
            values.Add(9007199254740992.0 + k);
            values.Add(4503599627370496.0 + (k / 4.0));
        }

        var random = new Random(20261201);
        for (var i = 0; i < 10_000; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64(1, 1L << 52)));
        }

        for (var i = 0; i < 20_000; i++)
        {
            values.Add(Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 9)), random.Next(0, 12)));
        }

        while (values.Count < 110_000)
        {
            var v = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(v))
            {
                values.Add(v);
            }
        }

        return [.. values];
    }

    private static ByteArrayContent Bits()
    {
        var bytes = new byte[Values.Length * 8];
        for (var i = 0; i < Values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), BitConverter.DoubleToInt64Bits(Values[i]));
        }

        return new ByteArrayContent(bytes);
    }

    private static string CSharpText(double value) => new LineBuilder("m").float64_field("f", value).build()["m f=".Length..];

    [Fact]
    [Trait("Category", "Python")]
    public async Task EveryDouble_HasPythonsDigits_FromTheCSharpAndThePythonLineBuilder()
    {
        _engine.Plugin("digits.py", """
            import json, math, struct
            def python_text(v):
                if v % 1 == 0:
                    return ("-" if v == 0 and math.copysign(1.0, v) < 0 else "") + f"{int(v)}.0"
                return repr(v)
            def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
                values = struct.unpack(f"<{len(request_body) // 8}d", request_body)
                built = [LineBuilder("m").float64_field("f", v).build()[4:] for v in values]
                return {"python": [python_text(v) for v in values], "built": built}
            """);
        await _engine.CreateTriggerAsync("floats", "digits", "digits.py", "request:digits");

        var response = await _engine.Http.PostAsync("/api/v3/engine/digits", Bits());
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var python = result.GetProperty("python").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var built = result.GetProperty("built").EnumerateArray().Select(e => e.GetString()!).ToArray();

        python.Length.ShouldBe(Values.Length);
        Values.Length.ShouldBeGreaterThanOrEqualTo(100_000);
        var wrong = Enumerable.Range(0, Values.Length).Where(i => CSharpText(Values[i]) != python[i] || built[i] != python[i])
            .Select(i => $"{Values[i]:R}: C# {CSharpText(Values[i])}, Python LineBuilder {built[i]}, Python {python[i]}").Take(10).ToList();
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task WrittenByACSharpPlugin_EveryDoubleReadsBackBitIdentical()
    {
        _engine.Plugin("store.csx", RequestSignature + """
            {
                for (var i = 0; i < request_body.Length / 8; i++)
                    influxdb3_local.write(new LineBuilder("sweep").float64_field("f", BitConverter.Int64BitsToDouble(BitConverter.ToInt64(request_body, i * 8))).time_ns(i));
                return "queued";
            }
            """);
        await _engine.CreateTriggerAsync("floats", "store", "store.csx", "request:store");

        var stored = await _engine.Http.PostAsync("/api/v3/engine/store", Bits());
        (await stored.Content.ReadAsStringAsync()).ShouldBe("queued");

        await ShouldReadBackAsync("sweep");
    }

    [Fact]
    [Trait("Category", "Python")]
    public async Task WrittenByAPythonPlugin_EveryDoubleReadsBackBitIdentical()
    {
        _engine.Plugin("store.py", """
            import struct
            def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
                for i, v in enumerate(struct.unpack(f"<{len(request_body) // 8}d", request_body)):
                    influxdb3_local.write(LineBuilder("sweep_py").float64_field("f", v).time_ns(i))
                return "queued"
            """);
        await _engine.CreateTriggerAsync("floats", "store_py", "store.py", "request:store_py");

        (await _engine.Http.PostAsync("/api/v3/engine/store_py", Bits())).IsSuccessStatusCode.ShouldBeTrue();

        await ShouldReadBackAsync("sweep_py");
    }

    private async Task ShouldReadBackAsync(string table)
    {
        var count = await _engine.PollAsync("floats", $"select count(*) as n from {table}", r => r.GetArrayLength() == 1 && r[0].GetProperty("n").GetInt64() == Values.Length);
        count[0].GetProperty("n").GetInt64().ShouldBe(Values.Length);
        var json = await _engine.QueryAsync("floats", $"select f from {table} order by time");
        json.GetArrayLength().ShouldBe(Values.Length);
        var csv = (await _engine.Http.GetStringAsync($"/api/v3/query_sql?db=floats&format=csv&q={Uri.EscapeDataString($"select f from {table} order by time")}")).Split('\n')[1..^1];
        var wrong = Enumerable.Range(0, Values.Length)
            .Where(i => BitConverter.DoubleToInt64Bits(json[i].GetProperty("f").GetDouble()) != BitConverter.DoubleToInt64Bits(Values[i])
                || BitConverter.DoubleToInt64Bits(double.Parse(csv[i], CultureInfo.InvariantCulture)) != BitConverter.DoubleToInt64Bits(Values[i]))
            .Select(i => $"{Values[i]:R}: json {json[i].GetProperty("f").GetRawText()}, csv {csv[i]}").Take(10).ToList();
        wrong.ShouldBeEmpty();
    }
}

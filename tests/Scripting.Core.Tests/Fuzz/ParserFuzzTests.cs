using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Scripting.Core.LineProtocol;
using Scripting.Core.Tests.LineProtocol;
using Scripting.Core.Triggers;
using Xunit.Abstractions;

namespace Scripting.Core.Tests.Fuzz;

/// <summary>
/// Fuzzing of the parsers that take user input: the shared line protocol cases and the seed lines,
/// mutated (bytes flipped, special characters inserted, ranges cut or repeated, inputs spliced) and
/// purely random inputs, with a fixed seed so a failure can be replayed. Each input must parse or be
/// reported as an error of a line that exists; nothing may throw, and the whole run has a deadline, so
/// an input that makes the parser loop fails the test.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const int LineProtocolInputs = 200_000;
    private const int SpecificationInputs = 100_000;
    private static readonly byte[] Specials = ",= \\\"\n\r#tfiu-.e+E0123456789\t"u8.ToArray().Concat(new byte[] { 0xFF, 0xC3, 0xA9, 0x00, 0xE2, 0x82 }).ToArray();

    [Fact]
    public async Task LineProtocol_MutatedAndRandomInputs_ParseOrReportErrorsOfRealLines()
    {
        var corpus = Corpus();
        var random = new Random(20261124);
        var parser = new LineProtocolParser();
        var precisions = Enum.GetValues<Precision>();
        var slowest = TimeSpan.Zero;
        var (points, errors) = (0L, 0L);
        var run = Task.Run(() =>
        {
            for (var i = 0; i < LineProtocolInputs; i++)
            {
                var input = Generate(random, corpus);
                var started = Stopwatch.GetTimestamp();
                LineProtocolBatch batch;
                try
                {
                    batch = parser.Parse(input, precisions[random.Next(precisions.Length)], 1_700_000_000_000_000_000);
                }
                catch (Exception error)
                {
                    throw new InvalidOperationException($"input #{i} threw {error.GetType().Name}: {error.Message}; input (base64): {Convert.ToBase64String(input)}", error);
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                var physicalLines = input.Count(b => b == (byte)'\n') + 1; // line numbers are physical lines, blank ones included
                slowest = elapsed > slowest ? elapsed : slowest;
                foreach (var point in batch.Points)
                {
                    point.LineNumber.ShouldBeInRange(1, physicalLines, Convert.ToBase64String(input));
                    point.Measurement.ShouldNotBeNullOrEmpty(Convert.ToBase64String(input));
                    point.FieldCount.ShouldBeGreaterThan(0, Convert.ToBase64String(input));
                }

                foreach (var error in batch.Errors)
                {
                    error.LineNumber.ShouldBeInRange(1, physicalLines, Convert.ToBase64String(input));
                    error.Message.ShouldNotBeNullOrWhiteSpace();
                }

                points += batch.Points.Count;
                errors += batch.Errors.Count;
            }
        });

        await run.WaitAsync(TimeSpan.FromSeconds(120));
        output.WriteLine($"{LineProtocolInputs:N0} inputs: {points:N0} points, {errors:N0} line errors; slowest input {slowest.TotalMilliseconds:F2} ms");
        points.ShouldBeGreaterThan(0);
        errors.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task TriggerSpecification_RandomInputs_ParseOrSayWhy()
    {
        string[] pieces = ["every:", "cron:", "table:", "request:", "all_tables", "CRON_TZ=", "Europe/Paris", "Mars/Base", "@hourly", "@yearly", "@every",
            "0", "1", "7", "59", "60", "99999999999999999999", "-1", "s", "m", "h", "d", "w", "M", "y", "ms", "us", "ns", "min", " ", "*", "/", ",", "-", "?", "L", "W", "#",
            "MON-FRI", "JAN", "é", "\u0000", "\t", ":", "..", "{", "}"];
        var random = new Random(1124);
        var (parsed, refused) = (0, 0);
        var run = Task.Run(() =>
        {
            for (var i = 0; i < SpecificationInputs; i++)
            {
                var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
                TriggerSpecification? specification;
                string? error;
                try
                {
                    specification = TriggerSpecification.Parse(text, out error);
                    if (specification?.IsSchedule == true)
                    {
                        specification.Cron?.Next(DateTimeOffset.UnixEpoch.AddYears(56));
                    }
                }
                catch (Exception failure)
                {
                    throw new InvalidOperationException($"'{text}' threw {failure.GetType().Name}: {failure.Message}", failure);
                }

                (specification is null ? error : "ok").ShouldNotBeNullOrWhiteSpace(text);
                if (specification is null)
                {
                    refused++;
                }
                else
                {
                    parsed++;
                }

                using var json = JsonDocument.Parse(JsonSerializer.Serialize(random.Next(3) switch
                {
                    0 => (object)text,
                    1 => new Dictionary<string, object> { ["every"] = new Dictionary<string, object> { ["duration"] = new { secs = random.Next(-5, 100_000), nanos = random.Next(-1, 2_000_000_000) } } },
                    _ => new Dictionary<string, object> { ["schedule"] = random.Next(2) == 0 ? text : new[] { text } },
                }));
                try
                {
                    var fromJson = TriggerSpecification.FromJson(json.RootElement, out var jsonError);
                    (fromJson is null ? jsonError : "ok").ShouldNotBeNullOrWhiteSpace(json.RootElement.GetRawText());
                }
                catch (Exception failure) when (failure is not Shouldly.ShouldAssertException)
                {
                    throw new InvalidOperationException($"{json.RootElement.GetRawText()} threw {failure.GetType().Name}: {failure.Message}", failure);
                }
            }
        });

        await run.WaitAsync(TimeSpan.FromSeconds(120));
        output.WriteLine($"{SpecificationInputs:N0} specifications: {parsed:N0} accepted, {refused:N0} refused with a reason");
        parsed.ShouldBeGreaterThan(0);
        refused.ShouldBeGreaterThan(0);
    }

    private static List<byte[]> Corpus()
    {
        var inputs = LineProtocolCases.Names().Select(n => LineProtocolCases.Input(LineProtocolCases.Get((string)n[0]))).Where(i => i.Length < 10_000).ToList();
        inputs.AddRange(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "cases", "seed-home.lp")));
        return inputs.Select(Encoding.UTF8.GetBytes).ToList();
    }

    private static byte[] Generate(Random random, List<byte[]> corpus)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(0, 200)];
            random.NextBytes(noise);
            return noise;
        }

        var bytes = new List<byte>(corpus[random.Next(corpus.Count)]);
        for (var mutations = random.Next(1, 6); mutations > 0; mutations--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, Specials[random.Next(Specials.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                    break;
                case 3 when bytes.Count > 0:
                    var length = Math.Min(random.Next(1, 20), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 4:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(new string('9', random.Next(1, 40))));
                    break;
                default:
                    bytes.Add((byte)'\n');
                    bytes.AddRange(corpus[random.Next(corpus.Count)]);
                    break;
            }
        }

        return [.. bytes];
    }
}

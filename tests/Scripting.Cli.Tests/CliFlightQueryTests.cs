using Apache.Arrow;
using Apache.Arrow.Types;
using ParquetSharp.Arrow;

namespace Scripting.Cli.Tests;

/// <summary><c>scripting query --protocol flight</c>: the result travels in Arrow and prints as over HTTP, or as Parquet.</summary>
public sealed class CliFlightQueryTests : IAsyncLifetime
{
    private const string Sql = "SELECT * FROM home ORDER BY time";
    private readonly string _directory = TempDirectory.NewPath("cli-flight");
    private RunningServer _server = null!;

    private string Host => _server.Address.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = await RunningServer.StartAsync();
        (await _server.Http.PostAsync("/api/v3/write_lp?db=db", new StringContent(
            "home,room=Kitchen temp=21.5,co=3i 1641024000000000001\nhome,room=Living temp=22,co=1i 1641024000000000002"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TempDirectory.Remove(_directory);
    }

    [Theory]
    [InlineData("pretty")]
    [InlineData("json")]
    [InlineData("jsonl")]
    [InlineData("csv")]
    public async Task Flight_PrintsWhatHttpPrints(string format)
    {
        var http = await CliProcess.RunAsync(["query", "--host", Host, "-d", "db", "--format", format, Sql]);
        var flight = await CliProcess.RunAsync(["query", "--host", Host, "-d", "db", "--format", format, "--protocol", "flight", Sql]);

        flight.ExitCode.ShouldBe(0, flight.Stderr);
        http.ExitCode.ShouldBe(0, http.Stderr);
        flight.Stdout.ShouldBe(http.Stdout);
        flight.Stdout.ShouldContain("Kitchen");
    }

    [Fact]
    public async Task FlightParquet_KeepsTypesAndNanoseconds()
    {
        var file = Path.Combine(_directory, "home.parquet");

        var run = await CliProcess.RunAsync(["query", "--host", Host, "-d", "db", "--format", "parquet", "--protocol", "flight", "-o", file, Sql]);

        run.ExitCode.ShouldBe(0, run.Stderr);
        using var reader = new FileReader(file);
        var schema = reader.Schema;
        schema.GetFieldByName("time").DataType.ShouldBeOfType<TimestampType>().Unit.ShouldBe(TimeUnit.Nanosecond);
        schema.GetFieldByName("co").DataType.ShouldBeOfType<Int64Type>();
        using var batches = reader.GetRecordBatchReader();
        var batch = await batches.ReadNextRecordBatchAsync();
        batch.ShouldNotBeNull();
        var times = (TimestampArray)batch.Column("time");
        times.GetValue(0).ShouldBe(1641024000000000001L);
        times.GetValue(1).ShouldBe(1641024000000000002L);
        ((StringArray)batch.Column("room")).GetString(1).ShouldBe("Living");
    }

    [Fact]
    public async Task FlightParquet_ToAPipe_IsTheSameFile()
    {
        var file = Path.Combine(_directory, "direct.parquet");
        await CliProcess.RunAsync(["query", "--host", Host, "-d", "db", "--format", "parquet", "--protocol", "flight", "-o", file, Sql]);

        var piped = await CliProcess.RunAsync(["query", "--host", Host, "-d", "db", "--format", "parquet", "--protocol", "flight", Sql]);

        piped.ExitCode.ShouldBe(0, piped.Stderr);
        piped.Stdout.ShouldStartWith("PAR1");
        new FileInfo(file).Length.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task FlightErrors_AreOneLineWithTheServersReason()
    {
        var unknown = await CliProcess.RunAsync(["query", "--host", Host, "-d", "nope", "--protocol", "flight", "SELECT 1"]);
        var planning = await CliProcess.RunAsync(["query", "--host", Host, "-d", "db", "--protocol", "flight", "SELECT * FROM missing"]);

        unknown.ExitCode.ShouldBe(1);
        unknown.Stderr.Trim().ShouldBe("Query command failed: server responded with error [404 NotFound]: query error: database not found: nope");
        planning.ExitCode.ShouldBe(1);
        planning.Stderr.ShouldContain("table 'public.iox.missing' not found");
    }
}

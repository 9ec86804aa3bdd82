namespace Scripting.Python.Tests;

/// <summary>Runs alone: it counts the process-wide handle table that other tests also use.</summary>
[CollectionDefinition(nameof(HandleLifetimeTests), DisableParallelization = true)]
public sealed class HandleLifetimeCollection;

/// <summary>The .NET objects Python holds by handle (influxdb3_local, LineBuilders) are released after each run.</summary>
[Trait("Category", "Python")]
[Collection(nameof(HandleLifetimeTests))]
public sealed class HandleLifetimeTests
{
    [Fact]
    public void ManyRunsBuildingLines_LeaveNoHandlesBehind()
    {
        var code = PythonFixture.Load("def process_writes(influxdb3_local, table_batches, args=None):\n    for i in range(100):\n        influxdb3_local.write(LineBuilder('m').int64_field('i', i))\n");
        var before = Bridge.Handles.Count;

        for (var run = 0; run < 50; run++)
        {
            code.ProcessWrites(new RecordingLocal(), [], null, CancellationToken.None);
        }

        Bridge.Handles.Count.ShouldBe(before);
    }
}

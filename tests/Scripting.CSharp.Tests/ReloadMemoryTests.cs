using System.Globalization;
using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.CSharp.Tests;

[CollectionDefinition(nameof(ReloadMemoryTests), DisableParallelization = true)]
public sealed class ReloadMemoryCollection;

/// <summary>
/// Editing a plugin all day does not grow the server: each compile-and-load of a new version leaves no
/// native memory behind. Measured with the process's resident set, alone in the process (no test runs
/// beside it), as the reload benchmark measures the server's.
/// </summary>
[Collection(nameof(ReloadMemoryTests))]
[Trait("Category", "Slow")]
public sealed class ReloadMemoryTests : IDisposable
{
    private readonly string _directory = TempDirectory.NewPath("reload");
    private readonly CSharpRuntime _runtime = new();

    public ReloadMemoryTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static double ResidentMebibytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private void EditAndReload(int version)
    {
        var path = Path.Combine(_directory, "edited.csx");
        File.WriteAllText(path, $"object process_request(IInfluxDb3Local l, IReadOnlyDictionary<string, string> q, IReadOnlyDictionary<string, string> h, byte[] b, IReadOnlyDictionary<string, string>? a) => \"v{version}\";");
        var code = _runtime.Load(new PluginSource("edited.csx", path, Guid.NewGuid().ToString("N")));
        code.ProcessRequest(new RecordingLocal(), new RequestInput(new Dictionary<string, string>(), new Dictionary<string, string>(), []), null, default).ShouldBe($"v{version}");
        _runtime.Release(code);
    }

    [Fact]
    public void AHundredEdits_GrowTheProcessByLessThan100MiB()
    {
        for (var i = 0; i < 10; i++)
        {
            EditAndReload(i);
        }

        var after10 = ResidentMebibytes();
        for (var i = 10; i < 110; i++)
        {
            EditAndReload(i);
        }

        // Each compile used to read ~170 framework assemblies again, some 30 MiB of native memory kept per edit.
        (ResidentMebibytes() - after10).ShouldBeLessThan(100, $"resident set after 10 edits: {after10:F0} MiB");
    }
}

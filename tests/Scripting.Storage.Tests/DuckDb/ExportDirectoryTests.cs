using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

public sealed class ExportDirectoryTests
{
    [Fact]
    public void NewExportDirectory_RemovesThoseOfKilledServers_KeepsThoseOfRunningOnes()
    {
        // No process has a pid this high on Linux (pid_max is at most 2^22).
        var killed = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "scripting-export-99999999-abc123")).FullName;
        var running = Directory.CreateTempSubdirectory($"scripting-export-{Environment.ProcessId}-").FullName;
        try
        {
            using var exports = new ExportDirectory();

            Directory.Exists(killed).ShouldBeFalse();
            Directory.Exists(running).ShouldBeTrue();
            Path.GetFileName(exports.Path).ShouldStartWith($"scripting-export-{Environment.ProcessId}-");
        }
        finally
        {
            TempDirectory.Remove(killed);
            TempDirectory.Remove(running);
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Scripting.Cli.Tests;

/// <summary>
/// Real disk faults for a server process, made without touching the machine's own disks.
/// A read-only data dir: file modes, with the server started without the capabilities that let root
/// ignore them (setpriv), so the test means the same as root or as a user. A full disk: a small tmpfs
/// mounted over the data dir where the test may mount (root), otherwise a file size limit on the server
/// process (RLIMIT_FSIZE, with SIGXFSZ ignored) so its writes fail the same way once the limit is hit.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class DiskFaults
{
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    /// <summary>Starts the server so that file modes apply to it even when the tests run as root.</summary>
    public static IReadOnlyList<string> ObeyFileModes() => GetEffectiveUserId() == 0
        ? ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]
        : ["env"];

    public static void MakeReadOnly(string directory, bool recursive)
    {
        foreach (var file in recursive ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories) : [])
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public static void MakeWritable(string directory)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Prepend(directory))
        {
            File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Hashes of every file under <paramref name="directory"/>, to show nothing changed.</summary>
    public static Dictionary<string, string> Fingerprint(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(directory, file),
            file => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))));

    /// <summary>A place whose writes fail once about <paramref name="megabytes"/> MB are written.</summary>
    public static SmallDisk SmallDisk(string directory, int megabytes)
    {
        Directory.CreateDirectory(directory);
        return Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", directory) == 0
            ? new SmallDisk(directory, megabytes, Mounted: true)
            : new SmallDisk(directory, megabytes, Mounted: false);
    }

    internal static int Run(params string[] command)
    {
        try
        {
            var info = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in command.Skip(1))
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}

/// <param name="Directory">Where the data dir goes.</param>
/// <param name="Megabytes">How much fits.</param>
/// <param name="Mounted">A tmpfs of that size is mounted there; otherwise the server's file size is limited.</param>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed record SmallDisk(string Directory, int Megabytes, bool Mounted) : IDisposable
{
    /// <summary>What fills up: the file system, or the largest file the server may write.</summary>
    public string Kind => Mounted ? "full tmpfs" : "file size limit";

    /// <summary>How to start the server on it.</summary>
    public IReadOnlyList<string> Wrapper => Mounted
        ? ["env"]
        : ["bash", "-c", $"trap '' XFSZ; ulimit -S -f {Megabytes * 1024}; export DOTNET_EnableWriteXorExecute=0; exec \"$@\"", "serve-on-small-disk"];

    /// <summary>Gives the running server room again, as an operator freeing space would.</summary>
    public void MakeRoom(int serverProcessId)
    {
        var status = Mounted
            ? DiskFaults.Run("mount", "-o", $"remount,size={Megabytes * 8}m", Directory)
            : DiskFaults.Run("prlimit", $"--pid={serverProcessId}", "--fsize=unlimited");
        status.ShouldBe(0, $"could not make room on the {Kind}");
    }

    public void Dispose()
    {
        if (Mounted)
        {
            DiskFaults.Run("umount", "-l", Directory);
        }
    }
}

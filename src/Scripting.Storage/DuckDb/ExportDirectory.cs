using System.Runtime.InteropServices;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// A private directory (mode 0700) for the named pipes through which DuckDB streams Parquet results:
/// the only path its instances may still write to once file access is off.
/// </summary>
internal sealed partial class ExportDirectory : IDisposable
{
    private const string Prefix = "scripting-export-";

    public ExportDirectory()
    {
        RemoveStale();
        // Created with mode 0700 on Unix; named after this process, so the next server can tell a killed
        // server's directory from a running one's.
        Path = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;
    }

    public string Path { get; }

    public string CreatePipe()
    {
        var pipe = System.IO.Path.Combine(Path, Guid.NewGuid().ToString("N") + ".parquet");
        if (MakeFifo(pipe, 0b110_000_000) != 0)
        {
            throw new IOException($"cannot create the pipe '{pipe}' for a Parquet result (errno {Marshal.GetLastPInvokeError()})");
        }

        return pipe;
    }

    /// <summary>
    /// Lets a reader blocked opening <paramref name="pipe"/> go on (it then reads the end of the data): opens
    /// the write end without blocking and closes it. Does nothing when no reader waits.
    /// </summary>
    public static void Release(string pipe)
    {
        const int WriteOnlyNonBlocking = 0x1 | 0x800; // O_WRONLY | O_NONBLOCK
        var descriptor = Open(pipe, WriteOnlyNonBlocking);
        if (descriptor >= 0)
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MakeFifo(string path, uint mode);

    /// <summary>Removes the directories of servers that were killed (their pipes are all that is in them).</summary>
    private static void RemoveStale()
    {
        foreach (var directory in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*"))
        {
            var owner = System.IO.Path.GetFileName(directory)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, out var pid) && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Another user's, or going away already.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

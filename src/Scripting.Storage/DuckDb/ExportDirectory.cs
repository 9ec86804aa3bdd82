using System.Runtime.InteropServices;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// A private directory (mode 0700) for the named pipes through which DuckDB streams Parquet results:
/// the only path its instances may still write to once file access is off.
/// </summary>
internal sealed partial class ExportDirectory : IDisposable
{
    public ExportDirectory()
    {
        // Created with mode 0700 on Unix.
        Path = Directory.CreateTempSubdirectory("scripting-export-").FullName;
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

using System.Runtime.InteropServices;
using System.Text.Json;
using Scripting.Core.Errors;

namespace Scripting.Storage.Catalog;

/// <summary>
/// The data dir's JSON files (catalog, tokens, secrets): written to a temporary file readable and writable
/// by the server's user only (they hold trigger arguments, token hashes, encrypted secrets), flushed to
/// disk and renamed over the old one, then the directory is flushed too, so a crash leaves either the old
/// or the new content under the name, never a torn file or a rename that did not reach the disk.
/// </summary>
internal static partial class JsonFile
{
    /// <param name="path">The file to replace.</param>
    /// <param name="value">What to write.</param>
    /// <param name="options">How to serialize it.</param>
    /// <exception cref="ScriptingException">The disk is full or the file may not be written; the message says which.</exception>
    public static void Replace<T>(string path, T value, JsonSerializerOptions options)
    {
        try
        {
            Write(path, value, options);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && StorageFailure.Recognize(error) is { } disk)
        {
            throw disk;
        }
    }

    /// <summary>Reads <paramref name="path"/>, first making it readable by the server's user only if an older version left it open to others.</summary>
    public static byte[] Read(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        return File.ReadAllBytes(path);
    }

    private static void Write<T>(string path, T value, JsonSerializerOptions options)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // A mode applies to files created, so a temporary file left by a crash goes first.
            File.Delete(temporary);
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        {
            JsonSerializer.Serialize(stream, value, options);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectory(directory);
    }

    /// <summary>Flushes <paramref name="directory"/>'s entries, so a rename in it survives a power loss.</summary>
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
        var descriptor = Open(directory, ReadOnlyDirectory);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"cannot flush '{directory}' (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}

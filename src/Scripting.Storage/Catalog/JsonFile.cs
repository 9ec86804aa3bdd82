using System.Text.Json;
using Scripting.Core.Errors;

namespace Scripting.Storage.Catalog;

/// <summary>
/// The data dir's JSON files (catalog, tokens): written to a temporary file, flushed to disk and renamed
/// over the old one, so a crash leaves either the old or the new content, never a torn file.
/// </summary>
internal static class JsonFile
{
    /// <param name="path">The file to replace.</param>
    /// <param name="value">What to write.</param>
    /// <param name="options">How to serialize it.</param>
    /// <param name="ownerOnly">Create the file readable and writable by the server's user only (Unix).</param>
    /// <exception cref="ScriptingException">The disk is full or the file may not be written; the message says which.</exception>
    public static void Replace<T>(string path, T value, JsonSerializerOptions options, bool ownerOnly = false)
    {
        try
        {
            Write(path, value, options, ownerOnly);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && StorageFailure.Recognize(error) is { } disk)
        {
            throw disk;
        }
    }

    private static void Write<T>(string path, T value, JsonSerializerOptions options, bool ownerOnly)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            File.Delete(temporary);
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        {
            JsonSerializer.Serialize(stream, value, options);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

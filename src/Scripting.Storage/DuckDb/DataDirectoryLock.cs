using Scripting.Core.Errors;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// One server process owns a data dir: the catalog file is shared by all its databases, so a second
/// process must be turned away before it touches anything. The lock is an exclusive lock on
/// <c>.lock</c> in the data dir (flock on Unix), released by the OS even when the process is killed.
/// Taking it also checks that the server can write there, before anything else opens the directory.
/// </summary>
public static class DataDirectoryLock
{
    public static FileStream Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, ".lock");
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(dataDirectory);
            lockFile = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception error) when (error is UnauthorizedAccessException || (error is IOException && StorageFailure.Recognize(error) is not null))
        {
            throw NotWritable(dataDirectory, error);
        }
        catch (IOException error)
        {
            throw new ScriptingException(ErrorKind.Conflict, $"data dir '{dataDirectory}' is in use by another scripting server ({error.Message})");
        }

        try
        {
            CheckWritable(dataDirectory);
            return lockFile;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses to start on a data dir the server could read but not write: every write would fail, and a
    /// database file DuckDB cannot write is one it cannot replay its write-ahead log into. Nothing in the
    /// directory is changed by the check.
    /// </summary>
    private static void CheckWritable(string dataDirectory)
    {
        var probe = Path.Combine(dataDirectory, $".write-check-{Environment.ProcessId}");
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            foreach (var file in Directory.EnumerateFiles(dataDirectory).Where(f => !Path.GetFileName(f).StartsWith('.')))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            }
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            throw NotWritable(dataDirectory, error);
        }
    }

    private static ScriptingException NotWritable(string dataDirectory, Exception error) => new(
        ErrorKind.Unavailable,
        $"data dir '{dataDirectory}' is not writable ({error.Message}); the server stores its catalog and write-ahead log there: make it writable or choose another with --data-dir");
}

using Scripting.Core.Errors;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// One server process owns a data dir: the catalog file is shared by all its databases, so a second
/// process must be turned away before it touches anything. The lock is an exclusive lock on
/// <c>.lock</c> in the data dir (flock on Unix), released by the OS even when the process is killed.
/// </summary>
public static class DataDirectoryLock
{
    public static FileStream Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new ScriptingException(ErrorKind.Conflict, $"data dir '{dataDirectory}' is in use by another scripting server ({error.Message})");
        }
    }
}

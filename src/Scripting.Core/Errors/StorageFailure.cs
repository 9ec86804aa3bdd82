namespace Scripting.Core.Errors;

/// <summary>
/// Recognizes the failures of the disk under the data dir (full, over quota, read-only, not permitted)
/// whichever layer saw them: .NET file IO reports them as exceptions carrying errno, DuckDB as text
/// naming the same condition. A recognized failure becomes an error that says what happened and that
/// the request was not stored, instead of an internal error with a stack trace.
/// </summary>
public static class StorageFailure
{
    private static readonly string[] NoSpace = ["No space left on device", "File too large", "Disk quota exceeded"];
    private static readonly string[] NotWritable = ["Read-only file system", "Permission denied", "Access to the path"];

    /// <summary>The user-facing error for <paramref name="error"/>, or null when it is not a disk failure.</summary>
    public static ScriptingException? Recognize(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is ScriptingException)
            {
                return null;
            }

            var message = current.Message;
            if (NoSpace.Any(text => message.Contains(text, StringComparison.OrdinalIgnoreCase)))
            {
                return new ScriptingException(
                    ErrorKind.InsufficientStorage,
                    $"not stored: the disk is full ({Cause(message)}); free space and send it again, nothing already acknowledged is affected");
            }

            if (current is UnauthorizedAccessException || NotWritable.Any(text => message.Contains(text, StringComparison.OrdinalIgnoreCase)))
            {
                return new ScriptingException(
                    ErrorKind.Unavailable,
                    $"not stored: writing was refused ({Cause(message)}); nothing already acknowledged is affected");
            }
        }

        return null;
    }

    /// <summary>DuckDB prefixes its messages with the failing layer ("TransactionContext Error: Failed to commit: ..."); the cause is the part after it.</summary>
    private static string Cause(string message)
    {
        const string Commit = "Failed to commit: ";
        var start = message.IndexOf(Commit, StringComparison.Ordinal);
        return (start >= 0 ? message[(start + Commit.Length)..] : message).Trim();
    }
}

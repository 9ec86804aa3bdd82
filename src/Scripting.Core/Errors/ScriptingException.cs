namespace Scripting.Core.Errors;

public enum ErrorKind
{
    BadRequest,
    NotFound,
    Conflict,
    TooLarge,
    Unprocessable,
    Internal,
    MethodNotAllowed,

    /// <summary>The disk under the data dir is full (HTTP 507).</summary>
    InsufficientStorage,

    /// <summary>The server cannot do it now for a reason outside the request, such as a read-only data dir (HTTP 503).</summary>
    Unavailable,

    /// <summary>The work took longer than it was allowed to (HTTP 504).</summary>
    Timeout,
}

/// <summary>An error whose message is meant for the user; the kind picks the HTTP status.</summary>
public sealed class ScriptingException : Exception
{
    public ScriptingException(ErrorKind kind, string message, object? data = null)
        : base(message)
    {
        Kind = kind;
        Detail = data;
    }

    public ScriptingException()
        : this(ErrorKind.Internal, "internal error")
    {
    }

    public ScriptingException(string message)
        : this(ErrorKind.Internal, message)
    {
    }

    public ScriptingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = ErrorKind.Internal;
    }

    public ErrorKind Kind { get; }

    /// <summary>Structured detail added to the JSON error body as "data".</summary>
    public object? Detail { get; }

    public static ScriptingException DatabaseNotFound(string database) =>
        new(ErrorKind.NotFound, $"Database not found {database}");
}

using Scripting.Core.Errors;

namespace Scripting.Query;

/// <summary>
/// One token for a query that fires when the client leaves or the query's time is up, and the words for
/// the second case: the store only sees that it was interrupted.
/// </summary>
internal sealed class QueryDeadline : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _limit;

    public QueryDeadline(TimeSpan limit, TimeProvider time, CancellationToken client)
    {
        _limit = limit;
        _timeout = new CancellationTokenSource(limit, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(client, _timeout.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>Stops the query's work now (its reader is done, or gone).</summary>
    public void Stop()
    {
        try
        {
            _linked.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The error to report in place of <paramref name="error"/> when the query's time ran out; null otherwise.</summary>
    public ScriptingException? Explain(Exception error) =>
        _timeout.IsCancellationRequested && error is not ScriptingException { Kind: ErrorKind.Timeout }
            ? new ScriptingException(ErrorKind.Timeout, $"query stopped: it ran longer than its timeout of {Seconds(_limit)} (--query-timeout, or the request's timeout parameter)")
            : null;

    private static string Seconds(TimeSpan span) => span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.###} s" : $"{span.TotalMilliseconds:0} ms";

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}

using Scripting.Core.Errors;

namespace Scripting.Query.Limits;

/// <summary>
/// Bounds the queries running at once. A query past the bound waits a bounded time for a place, then is
/// refused with 503, so a flood of heavy queries queues briefly and fails fast instead of starving the
/// server. A few express places let small queries through while every place is taken by heavy ones: a
/// query on one must deliver its first rows within a short budget or it gives the place back and waits
/// like the others (see <see cref="QueryLayer"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds no unmanaged handle unless AvailableWaitHandle is used, which it is not")]
internal sealed class QueryGate(QueryLimits limits)
{
    private readonly SemaphoreSlim _places = new(limits.MaxConcurrent, limits.MaxConcurrent);
    private readonly SemaphoreSlim _express = new(limits.ExpressPlaces, limits.ExpressPlaces);

    public int Running => limits.MaxConcurrent - _places.CurrentCount + limits.ExpressPlaces - _express.CurrentCount;

    /// <summary>A place at once, or null when all are taken.</summary>
    public IDisposable? TryEnter() => _places.Wait(0) ? new Place(_places) : null;

    /// <summary>An express place at once, or null when all are taken.</summary>
    public IDisposable? TryEnterExpress() => _express.Wait(0) ? new Place(_express) : null;

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _places.WaitAsync(limits.QueueTimeout, cancellationToken))
        {
            throw new ScriptingException(
                ErrorKind.Unavailable,
                $"too many queries in progress: {limits.MaxConcurrent} are running (--max-concurrent-queries) and none finished within {limits.QueueTimeout.TotalSeconds:0.#} s; try again shortly");
        }

        return new Place(_places);
    }

    private sealed class Place(SemaphoreSlim places) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                places.Release();
            }
        }
    }
}

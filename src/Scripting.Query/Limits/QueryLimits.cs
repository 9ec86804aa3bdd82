namespace Scripting.Query.Limits;

/// <summary>How long, how many at once and how much memory queries may take.</summary>
public sealed record QueryLimits
{
    /// <summary>The longest a query may run (<c>--query-timeout</c>); a request's <c>timeout</c> may only shorten it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Queries running at once (<c>--max-concurrent-queries</c>); default twice the core count.</summary>
    public int MaxConcurrent { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>How long a query waits for a free place before it is answered 503.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Queries that may run beside the bound while every place is taken, if they are quick (default: the core count).</summary>
    public int ExpressPlaces { get; init; } = Environment.ProcessorCount;

    /// <summary>How soon a query on an express place must deliver its first rows to keep the place.</summary>
    public TimeSpan ExpressBudget { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rows the pretty format lays out (it must see every row to size its columns).</summary>
    public int PrettyRowLimit { get; init; } = 100_000;
}

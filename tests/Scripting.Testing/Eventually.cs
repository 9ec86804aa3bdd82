using System.Diagnostics;

namespace Scripting.Testing;

/// <summary>Waits, with a deadline, for what another thread or process does; never a fixed sleep.</summary>
public static class Eventually
{
    /// <summary>Long enough for a busy 2-core machine; a test that passes waits only as long as the work takes.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(15);

    /// <summary>Reads until <paramref name="done"/> holds; throws, with the last value, once the deadline passes.</summary>
    public static async Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> done, string what, TimeSpan? deadline = null) =>
        await ValueAsync(() => Task.FromResult(read()), done, what, deadline, TimeSpan.FromMilliseconds(5));

    /// <inheritdoc cref="ValueAsync{T}(Func{T}, Func{T, bool}, string, TimeSpan?)"/>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? deadline = null, TimeSpan? interval = null)
    {
        var (value, reached) = await PollAsync(read, done, deadline, interval);
        return reached ? value : throw new TimeoutException($"timed out waiting for {what}; last value: {value}");
    }

    /// <summary>Reads until <paramref name="done"/> holds or the deadline passes; returns the last value either way, for the test to assert on.</summary>
    public static async Task<T> LastAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? deadline = null, TimeSpan? interval = null) =>
        (await PollAsync(read, done, deadline, interval)).Value;

    private static async Task<(T Value, bool Reached)> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? deadline, TimeSpan? interval)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return (value, true);
            }

            if (clock.Elapsed > (deadline ?? DefaultDeadline))
            {
                return (value, false);
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}

using System.Collections.Concurrent;

namespace Scripting.Python.Bridge;

/// <summary>
/// .NET objects that Python holds by number: the <c>influxdb3_local</c> of a run, each LineBuilder.
/// A number that is no longer registered (a run that ended, a builder freed) is an error in Python, never
/// a dangling pointer.
/// </summary>
internal static class Handles
{
    private static readonly ConcurrentDictionary<long, object> Objects = new();
    private static long _next;

    public static int Count => Objects.Count;

    public static long Add(object value)
    {
        var handle = Interlocked.Increment(ref _next);
        Objects[handle] = value;
        return handle;
    }

    public static T Get<T>(long handle)
        where T : class =>
        Objects.TryGetValue(handle, out var value) && value is T typed
            ? typed
            : throw new ObjectDisposedException(typeof(T).Name, $"this {Describe(typeof(T))} is no longer valid: the run that created it has ended");

    public static void Remove(long handle) => Objects.TryRemove(handle, out _);

    private static string Describe(Type type) => type.Name switch
    {
        "LineBuilder" => "LineBuilder",
        _ => "influxdb3_local",
    };
}

using System.Runtime.InteropServices;

namespace Scripting.Server.Hosting;

/// <summary>
/// The open-files limit. Each connection is a file descriptor, and so is every database file, log and
/// pipe; running out of descriptors makes unrelated operations fail (DuckDB aborts the process). So
/// <c>serve</c> raises the soft limit to the hard one at start, and connections are capped below it,
/// leaving room for the rest. What the process holds already (its assemblies, the runtime's pipes) is
/// counted when the cap is set, and the server's own assemblies are loaded at start
/// (<see cref="LoadAssemblies"/>), so that a flood of connections never leaves a first request without the
/// descriptor it needs to load code.
/// </summary>
public static partial class OpenFiles
{
    private const int Resource = 7; // RLIMIT_NOFILE on Linux
    private const int Reserved = 256;

    /// <summary>Raises the soft open-files limit to the hard limit; returns the limit in force.</summary>
    public static long Raise()
    {
        if (!OperatingSystem.IsLinux() || GetLimit(Resource, out var limit) != 0)
        {
            return 1024;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetLimit(Resource, in raised) == 0)
            {
                return (long)Math.Min(raised.Current, long.MaxValue);
            }
        }

        return (long)Math.Min(limit.Current, long.MaxValue);
    }

    /// <summary>The limit in force now.</summary>
    public static long Current() =>
        OperatingSystem.IsLinux() && GetLimit(Resource, out var limit) == 0 ? (long)Math.Min(limit.Current, long.MaxValue) : 1024;

    /// <summary>The descriptors the process holds now (0 where that cannot be read).</summary>
    public static long InUse()
    {
        try
        {
            return OperatingSystem.IsLinux() ? Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount() : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Half of what the open-files limit leaves after what the process holds and a reserve for the files and
    /// pipes it opens later; the other half is for databases' stores, each of which holds a few dozen
    /// descriptors while open (its file, log and DuckDB's threads), and for what queries open.
    /// </summary>
    public static int DefaultMaxConnections() => (int)Math.Clamp((Current() - InUse() - Reserved) / 2, 16, 1_000_000);

    /// <summary>
    /// Loads the server's own assemblies and every assembly they reference, so that none of them is loaded
    /// lazily by a first request: a load needs a descriptor, and under a connection flood none may be free.
    /// </summary>
    public static void LoadAssemblies(System.Reflection.Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<System.Reflection.Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is not { } name || !seen.Add(name))
                {
                    continue;
                }

                try
                {
                    var loaded = System.Reflection.Assembly.Load(reference);
                    if (name.StartsWith("Scripting.", StringComparison.Ordinal))
                    {
                        pending.Push(loaded);
                    }
                }
                catch (Exception error) when (error is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // An optional reference that is not shipped is loaded, and fails, only where it is used.
                }
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Limit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetLimit(int resource, out Limit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetLimit(int resource, in Limit limit);
}

using System.Runtime.InteropServices;

namespace Scripting.Server.Hosting;

/// <summary>
/// The open-files limit. Each connection is a file descriptor, and so is every database file, log and
/// pipe; running out of descriptors makes unrelated operations fail (DuckDB aborts the process). So
/// <c>serve</c> raises the soft limit to the hard one at start, and connections are capped below it,
/// leaving room for the rest.
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

    /// <summary>
    /// Half of what the open-files limit leaves after a reserve for the process's own files and pipes; the
    /// other half is for databases' stores, each of which holds a few dozen descriptors while open (its
    /// file, log and DuckDB's threads), and for what queries open.
    /// </summary>
    public static int DefaultMaxConnections() => (int)Math.Clamp((Current() - Reserved) / 2, 16, 1_000_000);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Limit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetLimit(int resource, out Limit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetLimit(int resource, in Limit limit);
}

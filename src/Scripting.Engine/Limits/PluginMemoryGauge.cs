using System.Runtime.InteropServices;
using Scripting.Core.Plugins;

namespace Scripting.Engine.Limits;

/// <summary>Measures the memory plugins can make grow.</summary>
public interface IPluginMemoryGauge
{
    /// <summary>Bytes in use now; with <paramref name="collectFirst"/>, after reclaiming what is no longer referenced.</summary>
    long Measure(bool collectFirst);
}

/// <summary>
/// Plugin memory as this process holds it: the .NET heap (C# plugins, and the server's own objects), what
/// malloc has handed out (Python objects other than small ones, native extensions), and what each runtime
/// reports beside those (Python's object arenas).
///
/// Design note. The process's resident size would also count DuckDB, whose buffer manager caches data up
/// to its own memory limit and allocates with its own allocator (not malloc). Measuring resident size would
/// stop plugin runs because a query was large; these three figures grow with what plugins allocate and
/// shrink when it is released.
/// </summary>
public sealed partial class ProcessPluginMemoryGauge(IEnumerable<IPluginRuntime> runtimes) : IPluginMemoryGauge
{
    private readonly IPluginRuntime[] _runtimes = [.. runtimes];
    private bool _mallocInfoMissing;

    public long Measure(bool collectFirst)
    {
        if (collectFirst)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: false) + MallocInUse() + _runtimes.Sum(r => r.ArenaBytes);
    }

    /// <summary>glibc's count of bytes malloc has handed out and not had back; 0 where malloc is not glibc's.</summary>
    private long MallocInUse()
    {
        if (_mallocInfoMissing || !OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            var info = MallInfo2();
            return (long)(info.InUseOrdinary + info.MappedBytes);
        }
        catch (EntryPointNotFoundException)
        {
            _mallocInfoMissing = true;
            return 0;
        }
    }

    /// <summary>glibc's <c>struct mallinfo2</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena;
        public nuint FreeChunks;
        public nuint FastBins;
        public nuint MappedRegions;
        public nuint MappedBytes;
        public nuint MaxTotalAllocated;
        public nuint FastBinBytes;
        public nuint InUseOrdinary;
        public nuint FreeOrdinary;
        public nuint TopReleasable;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallocInfo MallInfo2();
}

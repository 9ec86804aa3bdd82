using System.Runtime.InteropServices;

namespace Scripting.Python.Interop;

/// <summary>
/// Counts the memory of Python's object arenas, where CPython keeps its small objects (ints, short strings,
/// tuples, list and dict headers).
///
/// Design note. The server stops plugin runs when plugin memory passes its limit, and measures that memory
/// as the .NET heap plus what malloc has handed out. CPython takes its arenas straight from mmap, so a Python
/// plugin piling up small objects would go unseen. CPython lets an embedder replace the arena allocator
/// (PyObject_SetArenaAllocator); this one does what CPython's own does on Linux (anonymous private mmap,
/// munmap with the size CPython passes back) and keeps a running total. It is installed before the
/// interpreter starts, so every arena is counted from the first. Arenas are 1 MiB in CPython 3.11 (256 KiB
/// before), so the callback runs rarely.
/// </summary>
internal static unsafe partial class ArenaCounter
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int MapAnonymous = 0x20;
    private static long _bytes;

    /// <summary>Bytes of arenas CPython holds now.</summary>
    public static long Bytes => Interlocked.Read(ref _bytes);

    public static bool Installed { get; private set; }

    /// <summary>Installs the counting allocator; call before Py_InitializeEx.</summary>
    public static void Install()
    {
        if (Installed || !NativeLibrary.TryGetExport(LibPython.Handle, "PyObject_SetArenaAllocator", out var setter))
        {
            return;
        }

        var allocator = (ArenaAllocator*)NativeMemory.Alloc((nuint)sizeof(ArenaAllocator));
        allocator->Context = 0;
        allocator->Alloc = &Alloc;
        allocator->Free = &Free;
        ((delegate* unmanaged<ArenaAllocator*, void>)setter)(allocator);
        Installed = true;
    }

    [UnmanagedCallersOnly]
    private static nint Alloc(nint context, nuint size)
    {
        var address = MMap(0, size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (address == -1)
        {
            return 0;
        }

        Interlocked.Add(ref _bytes, (long)size);
        return address;
    }

    [UnmanagedCallersOnly]
    private static void Free(nint context, nint address, nuint size)
    {
        if (MUnmap(address, size) == 0)
        {
            Interlocked.Add(ref _bytes, -(long)size);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ArenaAllocator
    {
        public nint Context;
        public delegate* unmanaged<nint, nuint, nint> Alloc;
        public delegate* unmanaged<nint, nint, nuint, void> Free;
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint MMap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int MUnmap(nint address, nuint length);
}

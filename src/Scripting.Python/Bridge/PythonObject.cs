using System.Collections.Concurrent;
using Scripting.Python.Interop;

namespace Scripting.Python.Bridge;

/// <summary>
/// A Python object held by .NET (a value in the plugin cache, a loaded plugin). It owns one reference.
/// The reference cannot be dropped from the finalizer thread, which may not take the GIL safely, so a
/// collected holder queues its pointer and the next call into Python releases it.
/// </summary>
internal sealed unsafe class PythonObject
{
    private static readonly ConcurrentQueue<nint> Orphans = new();
    private nint _reference;

    /// <summary>Takes ownership of a new reference.</summary>
    public PythonObject(nint reference) => _reference = reference;

    ~PythonObject()
    {
        var reference = Interlocked.Exchange(ref _reference, 0);
        if (reference != 0)
        {
            Orphans.Enqueue(reference);
        }
    }

    /// <summary>The object, borrowed: valid while this holder is alive.</summary>
    public nint Borrowed => _reference;

    /// <summary>Wraps a borrowed reference, taking a reference of its own. Needs the GIL.</summary>
    public static PythonObject FromBorrowed(nint reference)
    {
        LibPython.Py_IncRef(reference);
        return new PythonObject(reference);
    }

    /// <summary>A new reference for Python code to own. Needs the GIL.</summary>
    public nint NewReference()
    {
        LibPython.Py_IncRef(_reference);
        return _reference;
    }

    /// <summary>Drops the references of collected holders. Needs the GIL.</summary>
    public static void ReleaseOrphans()
    {
        while (Orphans.TryDequeue(out var reference))
        {
            LibPython.Py_DecRef(reference);
        }
    }
}

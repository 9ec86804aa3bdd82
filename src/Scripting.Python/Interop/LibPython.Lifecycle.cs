namespace Scripting.Python.Interop;

/// <summary>Interpreter start and the GIL.</summary>
internal static unsafe partial class LibPython
{
    public static delegate* unmanaged<int, void> Py_InitializeEx;
    public static delegate* unmanaged<int> Py_IsInitialized;

    /// <summary>Releases the GIL held by this thread; returns the thread state to restore.</summary>
    public static delegate* unmanaged<nint> PyEval_SaveThread;

    /// <summary>Takes the GIL on any thread (creating its thread state on first use); returns a token for Release.</summary>
    public static delegate* unmanaged<int> PyGILState_Ensure;
    public static delegate* unmanaged<int, void> PyGILState_Release;

    private static void BindLifecycle()
    {
        Py_InitializeEx = (delegate* unmanaged<int, void>)Symbol("Py_InitializeEx");
        Py_IsInitialized = (delegate* unmanaged<int>)Symbol("Py_IsInitialized");
        PyEval_SaveThread = (delegate* unmanaged<nint>)Symbol("PyEval_SaveThread");
        PyGILState_Ensure = (delegate* unmanaged<int>)Symbol("PyGILState_Ensure");
        PyGILState_Release = (delegate* unmanaged<int, void>)Symbol("PyGILState_Release");
    }
}

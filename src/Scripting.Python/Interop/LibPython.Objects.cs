namespace Scripting.Python.Interop;

/// <summary>Objects, evaluation and errors.</summary>
internal static unsafe partial class LibPython
{
    public const int EvalInput = 258;
    public const int FileInput = 257;

    /// <summary>Runs source; returns a new reference to the result, or 0 with an exception set.</summary>
    public static delegate* unmanaged<byte*, int, nint, nint, nint> PyRun_String;

    /// <summary>Returns a new reference to an empty dict.</summary>
    public static delegate* unmanaged<nint> PyDict_New;

    /// <summary>Sets an item; does not steal the value's reference. Returns 0 on success.</summary>
    public static delegate* unmanaged<nint, byte*, nint, int> PyDict_SetItemString;

    /// <summary>Returns a borrowed reference to the builtins module's dict.</summary>
    public static delegate* unmanaged<nint> PyEval_GetBuiltins;

    public static delegate* unmanaged<nint, void> Py_DecRef;
    public static delegate* unmanaged<nint, long> PyLong_AsLongLong;

    /// <summary>Returns a pointer into the object's UTF-8 buffer (borrowed; valid while the object lives).</summary>
    public static delegate* unmanaged<nint, nint*, byte*> PyUnicode_AsUTF8AndSize;

    /// <summary>Returns a new reference to str(object).</summary>
    public static delegate* unmanaged<nint, nint> PyObject_Str;

    /// <summary>Moves the error indicator into new references (type, value, traceback; each may be 0) and clears it.</summary>
    public static delegate* unmanaged<nint*, nint*, nint*, void> PyErr_Fetch;

    private static void BindObjects()
    {
        PyRun_String = (delegate* unmanaged<byte*, int, nint, nint, nint>)Symbol("PyRun_String");
        PyDict_New = (delegate* unmanaged<nint>)Symbol("PyDict_New");
        PyDict_SetItemString = (delegate* unmanaged<nint, byte*, nint, int>)Symbol("PyDict_SetItemString");
        PyEval_GetBuiltins = (delegate* unmanaged<nint>)Symbol("PyEval_GetBuiltins");
        Py_DecRef = (delegate* unmanaged<nint, void>)Symbol("Py_DecRef");
        PyLong_AsLongLong = (delegate* unmanaged<nint, long>)Symbol("PyLong_AsLongLong");
        PyUnicode_AsUTF8AndSize = (delegate* unmanaged<nint, nint*, byte*>)Symbol("PyUnicode_AsUTF8AndSize");
        PyObject_Str = (delegate* unmanaged<nint, nint>)Symbol("PyObject_Str");
        PyErr_Fetch = (delegate* unmanaged<nint*, nint*, nint*, void>)Symbol("PyErr_Fetch");
    }
}

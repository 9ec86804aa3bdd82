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

    /// <summary>Returns a borrowed reference to dict[key], or 0 when absent (no exception set).</summary>
    public static delegate* unmanaged<nint, byte*, nint> PyDict_GetItemString;

    /// <summary>Returns a new reference to a str built from UTF-8.</summary>
    public static delegate* unmanaged<byte*, nint, nint> PyUnicode_FromStringAndSize;

    /// <summary>Returns a new reference to a tuple of the given size (items are set with PyTuple_SetItem).</summary>
    public static delegate* unmanaged<nint, nint> PyTuple_New;

    /// <summary>Steals the reference to the item. Returns 0 on success.</summary>
    public static delegate* unmanaged<nint, nint, nint, int> PyTuple_SetItem;

    /// <summary>Calls a callable with a tuple of arguments; returns a new reference, or 0 with an exception set.</summary>
    public static delegate* unmanaged<nint, nint, nint> PyObject_CallObject;

    public static delegate* unmanaged<nint, int> PyCallable_Check;

    private static void BindObjects()
    {
        PyDict_GetItemString = (delegate* unmanaged<nint, byte*, nint>)Symbol("PyDict_GetItemString");
        PyUnicode_FromStringAndSize = (delegate* unmanaged<byte*, nint, nint>)Symbol("PyUnicode_FromStringAndSize");
        PyTuple_New = (delegate* unmanaged<nint, nint>)Symbol("PyTuple_New");
        PyTuple_SetItem = (delegate* unmanaged<nint, nint, nint, int>)Symbol("PyTuple_SetItem");
        PyObject_CallObject = (delegate* unmanaged<nint, nint, nint>)Symbol("PyObject_CallObject");
        PyCallable_Check = (delegate* unmanaged<nint, int>)Symbol("PyCallable_Check");
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

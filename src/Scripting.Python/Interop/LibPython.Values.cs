using System.Runtime.InteropServices;

namespace Scripting.Python.Interop;

/// <summary>Values, containers, calls, threads: what the plugin bridge converts and calls with.</summary>
internal static unsafe partial class LibPython
{
    /// <summary>New reference.</summary>
    public static delegate* unmanaged<ulong, nint> PyLong_FromUnsignedLongLong;

    /// <summary>Returns ulong.MaxValue with OverflowError set when the value does not fit.</summary>
    public static delegate* unmanaged<nint, ulong> PyLong_AsUnsignedLongLong;

    /// <summary>New reference.</summary>
    public static delegate* unmanaged<double, nint> PyFloat_FromDouble;

    /// <summary>Returns -1.0 with an error set when the object is not a number.</summary>
    public static delegate* unmanaged<nint, double> PyFloat_AsDouble;

    /// <summary>New reference to True or False.</summary>
    public static delegate* unmanaged<long, nint> PyBool_FromLong;

    /// <summary>1, 0, or -1 with an error set.</summary>
    public static delegate* unmanaged<nint, int> PyObject_IsTrue;

    /// <summary>New reference to bytes copied from the buffer.</summary>
    public static delegate* unmanaged<byte*, nint, nint> PyBytes_FromStringAndSize;

    /// <summary>New reference to a list of the given length (items set with PyList_SetItem).</summary>
    public static delegate* unmanaged<nint, nint> PyList_New;

    /// <summary>Steals the item's reference. Returns 0 on success.</summary>
    public static delegate* unmanaged<nint, nint, nint, int> PyList_SetItem;

    public static delegate* unmanaged<nint, nint> PyList_Size;

    /// <summary>Borrowed reference to item i.</summary>
    public static delegate* unmanaged<nint, nint, nint> PyList_GetItem;

    /// <summary>Does not steal references. Returns 0 on success.</summary>
    public static delegate* unmanaged<nint, nint, nint, int> PyDict_SetItem;

    /// <summary>Iterates a dict: borrowed key and value; returns 0 at the end.</summary>
    public static delegate* unmanaged<nint, nint*, nint*, nint*, int> PyDict_Next;

    /// <summary>Borrowed reference to item i.</summary>
    public static delegate* unmanaged<nint, nint, nint> PyTuple_GetItem;

    public static delegate* unmanaged<nint, nint> PyTuple_Size;

    /// <summary>New reference, or 0 with AttributeError set.</summary>
    public static delegate* unmanaged<nint, byte*, nint> PyObject_GetAttrString;

    /// <summary>Calls with a tuple and an optional kwargs dict; new reference or 0 with an error set.</summary>
    public static delegate* unmanaged<nint, nint, nint, nint> PyObject_Call;

    /// <summary>Borrowed reference to the module in sys.modules, created empty if missing.</summary>
    public static delegate* unmanaged<byte*, nint> PyImport_AddModule;

    /// <summary>New reference to an imported module.</summary>
    public static delegate* unmanaged<byte*, nint> PyImport_ImportModule;

    /// <summary>Borrowed reference to the module's namespace.</summary>
    public static delegate* unmanaged<nint, nint> PyModule_GetDict;

    /// <summary>The calling thread's identifier, as PyThreadState_SetAsyncExc expects it.</summary>
    public static delegate* unmanaged<ulong> PyThread_get_thread_ident;

    /// <summary>Raises the exception type asynchronously in the thread with that identifier (0 clears it); needs the GIL.</summary>
    public static delegate* unmanaged<ulong, nint, int> PyThreadState_SetAsyncExc;

    /// <summary>Takes the GIL back with the state PyEval_SaveThread returned.</summary>
    public static delegate* unmanaged<nint, void> PyEval_RestoreThread;

    /// <summary>Sets the error indicator to (type, value); does not steal references.</summary>
    public static delegate* unmanaged<nint, nint, void> PyErr_SetObject;

    /// <summary>Borrowed reference to the pending exception type, or 0.</summary>
    public static delegate* unmanaged<nint> PyErr_Occurred;

    public static delegate* unmanaged<void> PyErr_Clear;

    /// <summary>Sets the program name before initialisation; the string must live for the process.</summary>
    public static delegate* unmanaged<nint, void> Py_SetProgramName;

    /// <summary>Decodes a locale string into a newly allocated wchar_t string (PyMem_RawFree to release).</summary>
    public static delegate* unmanaged<byte*, nint*, nint> Py_DecodeLocale;

    /// <summary>Turns the cyclic garbage collector off; returns whether it was on (3.10+).</summary>
    public static delegate* unmanaged<int> PyGC_Disable;

    /// <summary>Turns the cyclic garbage collector on; returns whether it was on (3.10+).</summary>
    public static delegate* unmanaged<int> PyGC_Enable;

    public static nint ValueError { get; private set; }

    public static nint TypeError { get; private set; }

    public static nint OverflowError { get; private set; }

    public static nint KeyboardInterrupt { get; private set; }

    /// <summary>The type objects, for exact type checks on Py_TYPE (ob_type sits after ob_refcnt).</summary>
    public static nint StrType { get; private set; }

    public static nint IntType { get; private set; }

    public static nint FloatType { get; private set; }

    public static nint BoolType { get; private set; }

    public static nint BytesType { get; private set; }

    public static nint DictType { get; private set; }

    public static nint TupleType { get; private set; }

    public static nint ListType { get; private set; }

    private static void BindValues()
    {
        PyLong_FromUnsignedLongLong = (delegate* unmanaged<ulong, nint>)Symbol("PyLong_FromUnsignedLongLong");
        PyLong_AsUnsignedLongLong = (delegate* unmanaged<nint, ulong>)Symbol("PyLong_AsUnsignedLongLong");
        PyFloat_FromDouble = (delegate* unmanaged<double, nint>)Symbol("PyFloat_FromDouble");
        PyFloat_AsDouble = (delegate* unmanaged<nint, double>)Symbol("PyFloat_AsDouble");
        PyBool_FromLong = (delegate* unmanaged<long, nint>)Symbol("PyBool_FromLong");
        PyObject_IsTrue = (delegate* unmanaged<nint, int>)Symbol("PyObject_IsTrue");
        PyBytes_FromStringAndSize = (delegate* unmanaged<byte*, nint, nint>)Symbol("PyBytes_FromStringAndSize");
        PyList_New = (delegate* unmanaged<nint, nint>)Symbol("PyList_New");
        PyList_SetItem = (delegate* unmanaged<nint, nint, nint, int>)Symbol("PyList_SetItem");
        PyList_Size = (delegate* unmanaged<nint, nint>)Symbol("PyList_Size");
        PyList_GetItem = (delegate* unmanaged<nint, nint, nint>)Symbol("PyList_GetItem");
        PyDict_SetItem = (delegate* unmanaged<nint, nint, nint, int>)Symbol("PyDict_SetItem");
        PyDict_Next = (delegate* unmanaged<nint, nint*, nint*, nint*, int>)Symbol("PyDict_Next");
        PyTuple_GetItem = (delegate* unmanaged<nint, nint, nint>)Symbol("PyTuple_GetItem");
        PyTuple_Size = (delegate* unmanaged<nint, nint>)Symbol("PyTuple_Size");
        PyObject_GetAttrString = (delegate* unmanaged<nint, byte*, nint>)Symbol("PyObject_GetAttrString");
        PyObject_Call = (delegate* unmanaged<nint, nint, nint, nint>)Symbol("PyObject_Call");
        PyImport_AddModule = (delegate* unmanaged<byte*, nint>)Symbol("PyImport_AddModule");
        PyImport_ImportModule = (delegate* unmanaged<byte*, nint>)Symbol("PyImport_ImportModule");
        PyModule_GetDict = (delegate* unmanaged<nint, nint>)Symbol("PyModule_GetDict");
        PyThread_get_thread_ident = (delegate* unmanaged<ulong>)Symbol("PyThread_get_thread_ident");
        PyThreadState_SetAsyncExc = (delegate* unmanaged<ulong, nint, int>)Symbol("PyThreadState_SetAsyncExc");
        PyEval_RestoreThread = (delegate* unmanaged<nint, void>)Symbol("PyEval_RestoreThread");
        PyErr_SetObject = (delegate* unmanaged<nint, nint, void>)Symbol("PyErr_SetObject");
        PyErr_Occurred = (delegate* unmanaged<nint>)Symbol("PyErr_Occurred");
        PyErr_Clear = (delegate* unmanaged<void>)Symbol("PyErr_Clear");
        // Deprecated since 3.11 (PyConfig replaces it); where a newer Python drops it, no program name is set
        // and the environment's site-packages is still added explicitly by the runtime.
        Py_SetProgramName = NativeLibrary.TryGetExport(_handle, "Py_SetProgramName", out var setProgramName) ? (delegate* unmanaged<nint, void>)setProgramName : null;
        Py_DecodeLocale = (delegate* unmanaged<byte*, nint*, nint>)Symbol("Py_DecodeLocale");
        PyGC_Disable = (delegate* unmanaged<int>)Symbol("PyGC_Disable");
        PyGC_Enable = (delegate* unmanaged<int>)Symbol("PyGC_Enable");
        ValueError = *(nint*)Symbol("PyExc_ValueError");
        TypeError = *(nint*)Symbol("PyExc_TypeError");
        OverflowError = *(nint*)Symbol("PyExc_OverflowError");
        KeyboardInterrupt = *(nint*)Symbol("PyExc_KeyboardInterrupt");
        StrType = Symbol("PyUnicode_Type");
        IntType = Symbol("PyLong_Type");
        FloatType = Symbol("PyFloat_Type");
        BoolType = Symbol("PyBool_Type");
        BytesType = Symbol("PyBytes_Type");
        DictType = Symbol("PyDict_Type");
        TupleType = Symbol("PyTuple_Type");
        ListType = Symbol("PyList_Type");
    }
}

using System.Runtime.InteropServices;

namespace Scripting.Python.Interop;

/// <summary>Native modules, singletons and raising errors from callbacks.</summary>
internal static unsafe partial class LibPython
{
    public const int ApiVersion = 1013;
    public const int MethFastCall = 0x0080;

    /// <summary>Creates a module from a definition that must stay alive for the process; returns a new reference.</summary>
    public static delegate* unmanaged<nint, int, nint> PyModule_Create2;

    /// <summary>Returns a borrowed reference to sys.modules.</summary>
    public static delegate* unmanaged<nint> PyImport_GetModuleDict;

    public static delegate* unmanaged<nint, void> Py_IncRef;

    /// <summary>Sets the error indicator; the callback then returns 0.</summary>
    public static delegate* unmanaged<nint, byte*, void> PyErr_SetString;

    /// <summary>Returns a new reference to a Python int.</summary>
    public static delegate* unmanaged<long, nint> PyLong_FromLongLong;

    /// <summary>The None singleton (borrowed; incref before returning it).</summary>
    public static nint None { get; private set; }

    /// <summary>The RuntimeError type (borrowed).</summary>
    public static nint RuntimeError { get; private set; }

    private static void BindModules()
    {
        PyModule_Create2 = (delegate* unmanaged<nint, int, nint>)Symbol("PyModule_Create2");
        PyImport_GetModuleDict = (delegate* unmanaged<nint>)Symbol("PyImport_GetModuleDict");
        Py_IncRef = (delegate* unmanaged<nint, void>)Symbol("Py_IncRef");
        PyErr_SetString = (delegate* unmanaged<nint, byte*, void>)Symbol("PyErr_SetString");
        PyLong_FromLongLong = (delegate* unmanaged<long, nint>)Symbol("PyLong_FromLongLong");
        None = Symbol("_Py_NoneStruct");
        RuntimeError = *(nint*)Symbol("PyExc_RuntimeError");
    }

    /// <summary>PyMethodDef: name, C function, flags, doc (32 bytes on 64-bit).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MethodDef
    {
        public nint Name;
        public nint Method;
        public int Flags;
        public nint Doc;
    }

    /// <summary>PyModuleDef with PyModuleDef_HEAD_INIT in its first 40 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ModuleDef
    {
        public nint RefCount;
        public nint Type;
        public nint Init;
        public nint Index;
        public nint Copy;
        public nint Name;
        public nint Doc;
        public nint Size;
        public nint Methods;
        public nint Slots;
        public nint Traverse;
        public nint Clear;
        public nint Free;
    }
}

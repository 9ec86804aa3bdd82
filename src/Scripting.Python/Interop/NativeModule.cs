using System.Runtime.InteropServices;
using System.Text;

namespace Scripting.Python.Interop;

/// <summary>
/// Builds a native module whose functions call back into .NET, and registers it in sys.modules.
/// Each function uses METH_FASTCALL: (self, PyObject* const* args, Py_ssize_t nargs) -> new reference,
/// or 0 with a Python exception set. Definitions are allocated once and never freed: CPython keeps
/// pointers to them for the life of the interpreter.
/// </summary>
internal static unsafe class NativeModule
{
    public static void Register(string name, IReadOnlyList<(string Name, nint Function)> functions)
    {
        using var gil = PythonInterpreter.Gil.Acquire();
        var methods = (LibPython.MethodDef*)NativeMemory.AllocZeroed((nuint)(functions.Count + 1), (nuint)sizeof(LibPython.MethodDef));
        for (var i = 0; i < functions.Count; i++)
        {
            methods[i] = new LibPython.MethodDef { Name = Utf8(functions[i].Name), Method = functions[i].Function, Flags = LibPython.MethFastCall };
        }

        var definition = (LibPython.ModuleDef*)NativeMemory.AllocZeroed((nuint)sizeof(LibPython.ModuleDef));
        definition->RefCount = 1;
        definition->Index = 0;
        definition->Name = Utf8(name);
        definition->Size = -1;
        definition->Methods = (nint)methods;
        var module = LibPython.PyModule_Create2((nint)definition, LibPython.ApiVersion);
        if (module == 0)
        {
            throw PythonInterpreter.CurrentError();
        }

        var key = Utf8(name);
        LibPython.PyDict_SetItemString(LibPython.PyImport_GetModuleDict(), (byte*)key, module);
        NativeMemory.Free((void*)key);
        LibPython.Py_DecRef(module);
    }

    /// <summary>Returns None (a new reference), for functions that return nothing.</summary>
    public static nint None()
    {
        LibPython.Py_IncRef(LibPython.None);
        return LibPython.None;
    }

    /// <summary>Raises RuntimeError in Python with the .NET error's message; the callback returns 0.</summary>
    public static nint Raise(Exception error)
    {
        var message = Encoding.UTF8.GetBytes($"{error.GetType().Name}: {error.Message}\0");
        fixed (byte* text = message)
        {
            LibPython.PyErr_SetString(LibPython.RuntimeError, text);
        }

        return 0;
    }

    private static nint Utf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        var memory = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(memory, bytes.Length));
        return (nint)memory;
    }
}

using System.Text;
using Scripting.Python.Interop;

namespace Scripting.Python.Bridge;

/// <summary>
/// The Python half of the runtime, loaded once: registers the native <c>_scripting</c> module, runs
/// scripting_host.py as the module <c>_scripting_host</c> and keeps its functions for the runtime to call.
/// </summary>
internal static unsafe class PythonHost
{
    private static readonly Lock Gate = new();
    private static bool _started;

    public static nint Load { get; private set; }

    public static nint MakeLocal { get; private set; }

    public static nint CallTime { get; private set; }

    public static nint Invoke { get; private set; }

    /// <summary>Loads the host module once the interpreter runs; later calls do nothing.</summary>
    public static void Start()
    {
        lock (Gate)
        {
            if (_started)
            {
                return;
            }

            ScriptingModule.Register();
            using var gil = PythonInterpreter.Gil.Acquire();
            using var stream = typeof(PythonHost).Assembly.GetManifestResourceStream("scripting_host.py")
                ?? throw new InvalidOperationException("scripting_host.py is missing from the assembly");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var source = Encoding.UTF8.GetBytes(reader.ReadToEnd() + "\0");
            nint module;
            fixed (byte* name = "_scripting_host\0"u8)
            {
                module = PyValues.Check(LibPython.PyImport_AddModule(name));
            }

            var globals = LibPython.PyModule_GetDict(module);
            fixed (byte* key = "__builtins__\0"u8)
            {
                LibPython.PyDict_SetItemString(globals, key, LibPython.PyEval_GetBuiltins());
            }

            fixed (byte* text = source)
            {
                var result = PyValues.Check(LibPython.PyRun_String(text, LibPython.FileInput, globals, globals));
                LibPython.Py_DecRef(result);
            }

            Load = Function(globals, "load");
            MakeLocal = Function(globals, "make_local");
            CallTime = Function(globals, "call_time");
            Invoke = Function(globals, "invoke");
            _started = true;
        }
    }

    /// <summary>Calls a function with new references as arguments (stolen); returns a new reference.</summary>
    public static nint Call(nint function, params ReadOnlySpan<nint> arguments)
    {
        var tuple = PyValues.Check(LibPython.PyTuple_New(arguments.Length));
        for (var i = 0; i < arguments.Length; i++)
        {
            LibPython.PyTuple_SetItem(tuple, i, arguments[i]);
        }

        try
        {
            return PyValues.Check(LibPython.PyObject_Call(function, tuple, 0));
        }
        finally
        {
            LibPython.Py_DecRef(tuple);
        }
    }

    private static nint Function(nint globals, string name)
    {
        fixed (byte* key = Encoding.UTF8.GetBytes(name + "\0"))
        {
            var function = LibPython.PyDict_GetItemString(globals, key);
            if (function == 0)
            {
                throw new InvalidOperationException($"scripting_host.py does not define {name}");
            }

            LibPython.Py_IncRef(function);
            return function;
        }
    }
}

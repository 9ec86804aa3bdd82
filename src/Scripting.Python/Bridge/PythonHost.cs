using System.Text;
using Scripting.Core.Plugins;
using Scripting.Python.Interop;

namespace Scripting.Python.Bridge;

/// <summary>
/// The Python half of the runtime, loaded once: registers the native <c>_scripting</c> module, runs
/// scripting_api.py (what plugins see) as <c>_scripting_api</c>, then scripting_host.py (loading and
/// running plugins) as <c>_scripting_host</c>, and keeps their functions for the runtime to call.
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
            var api = RunModule("scripting_api.py", "_scripting_api");
            var host = RunModule("scripting_host.py", "_scripting_host", EntryPointNames);
            MakeLocal = Function(api, "make_local");
            CallTime = Function(api, "call_time");
            Load = Function(host, "load");
            Invoke = Function(host, "invoke");
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

    /// <summary>Sets <c>ENTRY_POINTS</c>, the tuple of entry point names, in a module's globals.</summary>
    private static void EntryPointNames(nint globals)
    {
        var names = PyValues.Check(LibPython.PyTuple_New(EntryPointSignatures.All.Count));
        for (var i = 0; i < EntryPointSignatures.All.Count; i++)
        {
            LibPython.PyTuple_SetItem(names, i, PyValues.Str(EntryPointSignatures.All[i].Name));
        }

        fixed (byte* key = "ENTRY_POINTS\0"u8)
        {
            LibPython.PyDict_SetItemString(globals, key, names);
        }

        LibPython.Py_DecRef(names);
    }

    /// <summary>
    /// Runs an embedded Python file as the module <paramref name="moduleName"/> (in sys.modules), after
    /// <paramref name="prepare"/> has set what the file expects in its globals; returns its globals (borrowed).
    /// </summary>
    private static nint RunModule(string resource, string moduleName, Action<nint>? prepare = null)
    {
        using var stream = typeof(PythonHost).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is missing from the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var source = Encoding.UTF8.GetBytes(reader.ReadToEnd() + "\0");
        nint module;
        fixed (byte* name = Encoding.UTF8.GetBytes(moduleName + "\0"))
        {
            module = PyValues.Check(LibPython.PyImport_AddModule(name));
        }

        var globals = LibPython.PyModule_GetDict(module);
        fixed (byte* key = "__builtins__\0"u8)
        {
            LibPython.PyDict_SetItemString(globals, key, LibPython.PyEval_GetBuiltins());
        }

        prepare?.Invoke(globals);

        fixed (byte* text = source)
        {
            var result = PyValues.Check(LibPython.PyRun_String(text, LibPython.FileInput, globals, globals));
            LibPython.Py_DecRef(result);
        }

        return globals;
    }

    private static nint Function(nint globals, string name)
    {
        fixed (byte* key = Encoding.UTF8.GetBytes(name + "\0"))
        {
            var function = LibPython.PyDict_GetItemString(globals, key);
            if (function == 0)
            {
                throw new InvalidOperationException($"the Python half of the runtime does not define {name}");
            }

            LibPython.Py_IncRef(function);
            return function;
        }
    }
}

using System.Runtime.InteropServices;
using System.Text;
using Scripting.Python.Discovery;
using Scripting.Python.Interop;

namespace Scripting.Python;

/// <summary>A Python error, as "ExceptionType: message".</summary>
public sealed class PythonException(string message) : Exception(message)
{
    public PythonException()
        : this("Python error")
    {
    }

    public PythonException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}

/// <summary>
/// The one embedded interpreter of the process.
///
/// Threading design: CPython allows one interpreter per process here and one thread at a time inside
/// it (the GIL). The interpreter is started once, then the starting thread releases the GIL; every
/// call takes it with PyGILState_Ensure on whatever thread it runs (CPython creates that thread's state
/// on first use) and releases it before returning, so the GIL is never held across an await.
/// </summary>
public static unsafe class PythonInterpreter
{
    private static readonly Lock Gate = new();

    public static PythonInstallation? Installation { get; private set; }

    /// <summary>Starts the interpreter once; later calls return the installation already running.</summary>
    /// <param name="installation">The Python to embed.</param>
    /// <param name="programName">
    /// The interpreter path Python should believe it runs as: a virtual environment's <c>bin/python</c>
    /// makes that environment's site-packages importable (CPython finds <c>pyvenv.cfg</c> beside it).
    /// </param>
    public static PythonInstallation Start(PythonInstallation installation, string? programName = null)
    {
        lock (Gate)
        {
            if (Installation is not null)
            {
                return Installation;
            }

            LibPython.Load(installation.Library);
            if (LibPython.Py_IsInitialized() == 0)
            {
                if (programName is not null && LibPython.Py_SetProgramName != null)
                {
                    // Py_DecodeLocale allocates the wide string; it must outlive the interpreter, so it is never freed.
                    var utf8 = Encoding.UTF8.GetBytes(programName + "\0");
                    fixed (byte* text = utf8)
                    {
                        LibPython.Py_SetProgramName(LibPython.Py_DecodeLocale(text, null));
                    }
                }

                ArenaCounter.Install();

                // 0: leave signal handlers to .NET, so Ctrl+C and SIGTERM still stop the server.
                LibPython.Py_InitializeEx(0);
                LibPython.PyEval_SaveThread();
            }

            Installation = installation;
            return installation;
        }
    }

    /// <summary>Evaluates an expression in a fresh namespace and returns str() of the result.</summary>
    public static string Evaluate(string expression)
    {
        using var gil = Gil.Acquire();
        var globals = LibPython.PyDict_New();
        try
        {
            SetBuiltins(globals);
            var result = Run(expression, LibPython.EvalInput, globals);
            try
            {
                return Str(result);
            }
            finally
            {
                LibPython.Py_DecRef(result);
            }
        }
        finally
        {
            LibPython.Py_DecRef(globals);
        }
    }

    /// <summary>A Python string literal for <paramref name="text"/>.</summary>
    public static string Literal(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";

    /// <summary>Runs code; returns a new reference to the result or throws the Python error.</summary>
    private static nint Run(string code, int mode, nint globals)
    {
        var source = Encoding.UTF8.GetBytes(code + "\0");
        fixed (byte* text = source)
        {
            var result = LibPython.PyRun_String(text, mode, globals, globals);
            return result != 0 ? result : throw CurrentError();
        }
    }

    private static void SetBuiltins(nint globals)
    {
        var name = "__builtins__\0"u8;
        fixed (byte* key = name)
        {
            LibPython.PyDict_SetItemString(globals, key, LibPython.PyEval_GetBuiltins());
        }
    }

    /// <summary>str(object) as a .NET string; the object stays owned by the caller.</summary>
    internal static string Str(nint value)
    {
        var text = LibPython.PyObject_Str(value);
        if (text == 0)
        {
            throw CurrentError();
        }

        try
        {
            nint length;
            var utf8 = LibPython.PyUnicode_AsUTF8AndSize(text, &length);
            return Marshal.PtrToStringUTF8((nint)utf8, (int)length);
        }
        finally
        {
            LibPython.Py_DecRef(text);
        }
    }

    /// <summary>Takes the pending Python exception as a .NET exception ("Type: message").</summary>
    internal static PythonException CurrentError()
    {
        nint type, value, traceback;
        LibPython.PyErr_Fetch(&type, &value, &traceback);
        try
        {
            var typeName = type == 0 ? "Error" : Str(type).Replace("<class '", string.Empty, StringComparison.Ordinal).Replace("'>", string.Empty, StringComparison.Ordinal);
            var message = value == 0 ? string.Empty : Str(value);
            return new PythonException($"{typeName[(typeName.LastIndexOf('.') + 1)..]}: {message}");
        }
        finally
        {
            foreach (var reference in new[] { type, value, traceback })
            {
                if (reference != 0)
                {
                    LibPython.Py_DecRef(reference);
                }
            }
        }
    }

    /// <summary>
    /// Holds the GIL for a scope on the current thread. The first use on a thread creates its thread state
    /// and keeps it (an outer PyGILState_Ensure that is never released, with the GIL handed back at once), so
    /// later calls on a worker thread reuse one thread state instead of creating and destroying one per call.
    /// </summary>
    internal readonly struct Gil : IDisposable
    {
        [ThreadStatic]
        private static bool _threadStateKept;

        private readonly int _state;

        private Gil(int state) => _state = state;

        public static Gil Acquire()
        {
            if (Installation is null)
            {
                throw new InvalidOperationException("the Python interpreter is not started");
            }

            if (!_threadStateKept)
            {
                LibPython.PyGILState_Ensure();
                LibPython.PyEval_SaveThread();
                _threadStateKept = true;
            }

            return new Gil(LibPython.PyGILState_Ensure());
        }

        public void Dispose() => LibPython.PyGILState_Release(_state);
    }
}

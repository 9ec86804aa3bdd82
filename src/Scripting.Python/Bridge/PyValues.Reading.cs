using System.Runtime.InteropServices;
using Scripting.Python.Interop;

namespace Scripting.Python.Bridge;

/// <summary>Reading Python values into .NET. Every method needs the GIL; the objects stay owned by the caller.</summary>
internal static unsafe partial class PyValues
{
    /// <summary>The text of a Python str (the object stays owned by the caller).</summary>
    public static string ToText(nint value)
    {
        nint length;
        var utf8 = LibPython.PyUnicode_AsUTF8AndSize(value, &length);
        return utf8 is null ? throw PythonInterpreter.CurrentError() : Marshal.PtrToStringUTF8((nint)utf8, (int)length);
    }

    /// <summary>A str, or null for None.</summary>
    public static string? ToOptionalText(nint value) => value == LibPython.None ? null : ToText(value);

    public static long ToLong(nint value)
    {
        var result = LibPython.PyLong_AsLongLong(value);
        return result == -1 && LibPython.PyErr_Occurred() != 0 ? throw PythonInterpreter.CurrentError() : result;
    }

    public static double ToDouble(nint value)
    {
        var result = LibPython.PyFloat_AsDouble(value);
        return result == -1.0 && LibPython.PyErr_Occurred() != 0 ? throw PythonInterpreter.CurrentError() : result;
    }

    public static bool ToBool(nint value)
    {
        var result = LibPython.PyObject_IsTrue(value);
        return result < 0 ? throw PythonInterpreter.CurrentError() : result == 1;
    }

    /// <summary>A dict of str to str (values already checked on the Python side), or null for None.</summary>
    public static Dictionary<string, string>? ToStringDictionary(nint dict)
    {
        if (dict == LibPython.None)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        nint position = 0, key, value;
        while (LibPython.PyDict_Next(dict, &position, &key, &value) != 0)
        {
            result[ToText(key)] = ToText(value);
        }

        return result;
    }

    /// <summary>Throws the pending Python error when <paramref name="reference"/> is 0.</summary>
    public static nint Check(nint reference) => reference != 0 ? reference : throw PythonInterpreter.CurrentError();
}

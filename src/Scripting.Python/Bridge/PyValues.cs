using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Scripting.Core.Time;
using Scripting.PluginApi;
using Scripting.Python.Interop;

namespace Scripting.Python.Bridge;

/// <summary>
/// Converts between .NET values and Python objects. Every method needs the GIL. Methods that return
/// nint return a new reference (the caller owns it) and throw <see cref="PythonException"/> on failure.
/// </summary>
internal static unsafe partial class PyValues
{
    public static nint None()
    {
        LibPython.Py_IncRef(LibPython.None);
        return LibPython.None;
    }

    public static nint Str(string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> buffer = rented is null ? stackalloc byte[512] : rented;
        try
        {
            var written = Encoding.UTF8.GetBytes(value, buffer);
            fixed (byte* text = buffer)
            {
                return Check(LibPython.PyUnicode_FromStringAndSize(text, written));
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static nint Bytes(ReadOnlySpan<byte> value)
    {
        fixed (byte* data = value)
        {
            return Check(LibPython.PyBytes_FromStringAndSize(data, value.Length));
        }
    }

    public static nint Long(long value) => Check(LibPython.PyLong_FromLongLong(value));

    public static nint Float(double value) => Check(LibPython.PyFloat_FromDouble(value));

    public static nint Bool(bool value) => LibPython.PyBool_FromLong(value ? 1 : 0);

    /// <summary>A .NET value as the Python value a plugin written for InfluxDB 3 expects: numbers, text, bool, None, bytes, lists, dicts.</summary>
    public static nint From(object? value) => value switch
    {
        null => None(),
        string text => Str(text),
        long number => Long(number),
        int number => Long(number),
        double number => Float(number),
        bool flag => Bool(flag),
        ulong number => Check(LibPython.PyLong_FromUnsignedLongLong(number)),
        uint or short or ushort or byte or sbyte => Long(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        float number => Float(number),
        decimal number => Float((double)number),
        System.Numerics.BigInteger number when number >= long.MinValue && number <= long.MaxValue => Long((long)number),
        Int128 number when number >= long.MinValue && number <= long.MaxValue => Long((long)number),
        byte[] bytes => Bytes(bytes),
        PythonObject python => python.NewReference(),
        DateTimeOffset instant => Long(UnixNanoseconds.From(instant)),
        DateTime instant => Long(UnixNanoseconds.From(instant)),
        IReadOnlyDictionary<string, object?> dictionary => Dict(dictionary, null),
        IDictionary dictionary => Dict(dictionary),
        IEnumerable items => List(items),
        _ => Str(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    /// <summary>None when <paramref name="values"/> is null, else a dict of str (trigger arguments, query parameters, headers).</summary>
    public static nint StringDict(IReadOnlyDictionary<string, string>? values)
    {
        if (values is null)
        {
            return None();
        }

        var dict = Check(LibPython.PyDict_New());
        try
        {
            foreach (var (key, value) in values)
            {
                SetItem(dict, Str(key), Str(value));
            }

            return dict;
        }
        catch
        {
            LibPython.Py_DecRef(dict);
            throw;
        }
    }

    /// <summary>Query rows as a list of dicts (see <see cref="RowScope"/>).</summary>
    public static nint Rows(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        using var scope = new RowScope();
        return RowList(rows, scope.Strings);
    }

    private static nint RowList(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, Dictionary<string, nint> keys)
    {
        var list = Check(LibPython.PyList_New(rows.Count));
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                LibPython.PyList_SetItem(list, i, Dict(rows[i], keys));
            }

            return list;
        }
        catch
        {
            LibPython.Py_DecRef(list);
            throw;
        }
    }

    /// <summary><c>table_batches</c> as InfluxDB 3 passes them to <c>process_writes</c>: a list of {"table_name", "rows"} dicts (see <see cref="RowScope"/>).</summary>
    public static nint TableBatches(IReadOnlyList<TableBatch> batches)
    {
        using var scope = new RowScope();
        var list = Check(LibPython.PyList_New(batches.Count));
        try
        {
            for (var i = 0; i < batches.Count; i++)
            {
                var batch = Check(LibPython.PyDict_New());
                LibPython.PyList_SetItem(list, i, batch);
                SetItem(batch, Str("table_name"), Str(batches[i].TableName));
                SetItem(batch, Str("rows"), RowList(batches[i].Rows, scope.Strings));
            }

            return list;
        }
        catch
        {
            LibPython.Py_DecRef(list);
            throw;
        }
    }

    /// <summary>
    /// While many rows are made: column names and repeated text are made once and shared by every row
    /// (Python strings are immutable), and the cyclic collector is paused, since rows hold no cycles and
    /// 10,000 rows would otherwise set off a collection pass every few hundred dicts.
    /// </summary>
    private sealed class RowScope : IDisposable
    {
        private readonly bool _collecting = LibPython.PyGC_Disable() == 1;

        public Dictionary<string, nint> Strings { get; } = new(StringComparer.Ordinal);

        public void Dispose()
        {
            if (_collecting)
            {
                LibPython.PyGC_Enable();
            }

            foreach (var text in Strings.Values)
            {
                LibPython.Py_DecRef(text);
            }
        }
    }

    private static nint Dict(IReadOnlyDictionary<string, object?> values, Dictionary<string, nint>? strings)
    {
        var dict = Check(LibPython.PyDict_New());
        try
        {
            if (strings is null)
            {
                foreach (var (name, value) in values)
                {
                    SetItem(dict, Str(name), From(value));
                }
            }
            else if (values is Dictionary<string, object?> concrete)
            {
                // The engine's rows: enumerated without boxing, names and repeated text made once per batch.
                foreach (var (name, value) in concrete)
                {
                    SetShared(dict, name, value, strings);
                }
            }
            else
            {
                foreach (var (name, value) in values)
                {
                    SetShared(dict, name, value, strings);
                }
            }

            return dict;
        }
        catch
        {
            LibPython.Py_DecRef(dict);
            throw;
        }
    }

    /// <summary>
    /// dict[name] = value, with the column name and a text value taken from (or added to) the batch's
    /// shared strings: Python strings are immutable, so rows can share them, and tag values repeat.
    /// </summary>
    private static void SetShared(nint dict, string name, object? value, Dictionary<string, nint> strings)
    {
        var key = Shared(name, strings);
        nint item;
        if (value is string text && strings.Count < MaxSharedStrings)
        {
            item = Shared(text, strings);
            LibPython.Py_IncRef(item);
        }
        else
        {
            item = From(value);
        }

        var result = LibPython.PyDict_SetItem(dict, key, item);
        LibPython.Py_DecRef(item);
        if (result != 0)
        {
            throw PythonInterpreter.CurrentError();
        }
    }

    private const int MaxSharedStrings = 4096;

    private static nint Shared(string text, Dictionary<string, nint> strings)
    {
        if (!strings.TryGetValue(text, out var value))
        {
            strings[text] = value = Str(text);
        }

        return value;
    }

    private static nint Dict(IDictionary values)
    {
        var dict = Check(LibPython.PyDict_New());
        foreach (DictionaryEntry entry in values)
        {
            SetItem(dict, From(entry.Key), From(entry.Value));
        }

        return dict;
    }

    private static nint List(IEnumerable items)
    {
        var values = items.Cast<object?>().ToList();
        var list = Check(LibPython.PyList_New(values.Count));
        for (var i = 0; i < values.Count; i++)
        {
            LibPython.PyList_SetItem(list, i, From(values[i]));
        }

        return list;
    }

    /// <summary>Sets dict[key] = value and releases both new references.</summary>
    private static void SetItem(nint dict, nint key, nint value)
    {
        var result = LibPython.PyDict_SetItem(dict, key, value);
        LibPython.Py_DecRef(key);
        LibPython.Py_DecRef(value);
        if (result != 0)
        {
            throw PythonInterpreter.CurrentError();
        }
    }
}

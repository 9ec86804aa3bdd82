using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Scripting.Core.Plugins;
using Scripting.PluginApi;
using Scripting.Python.Interop;

namespace Scripting.Python.Bridge;

/// <summary>
/// The native module <c>_scripting</c>: what the Python half of the runtime (scripting_api.py, scripting_host.py) calls to
/// reach the one C# <c>influxdb3_local</c> and the one C# LineBuilder. Arguments are checked and
/// converted on the Python side; these functions trust their arity. A .NET exception becomes the Python
/// exception a plugin would see upstream (InvalidKeyError, QueryError, ValueError, ...). Calls that wait
/// on the server (query, write_sync) release the GIL while they wait.
/// </summary>
internal static unsafe partial class ScriptingModule
{
    private static readonly object Missing = new();
    private static nint _influxDbError, _invalidMeasurement, _invalidKey, _invalidLine, _queryError, _interrupted;

    /// <summary>The exception type raised asynchronously into a run past its deadline.</summary>
    public static nint InterruptedType => _interrupted;

    public static void Register() => NativeModule.Register("_scripting",
    [
        ("register", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&RegisterTypes),
        ("lb_new", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&LineNew),
        ("lb_free", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&LineFree),
        ("lb_tag", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&LineTag),
        ("lb_field", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&LineField),
        ("lb_time", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&LineTime),
        ("lb_build", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&LineBuild),
        ("log", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&Log),
        ("write", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&Write),
        ("write_sync", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&WriteSync),
        ("query", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&Query),
        ("cache_put", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&CachePut),
        ("cache_get", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&CacheGet),
        ("cache_delete", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&CacheDelete),
    ]);

    [UnmanagedCallersOnly]
    private static nint RegisterTypes(nint self, nint* args, nint count)
    {
        foreach (var i in Enumerable.Range(0, 6))
        {
            LibPython.Py_IncRef(args[i]);
        }

        (_influxDbError, _invalidMeasurement, _invalidKey, _invalidLine, _queryError, _interrupted) = (args[0], args[1], args[2], args[3], args[4], args[5]);
        return PyValues.None();
    }

    [UnmanagedCallersOnly]
    private static nint LineNew(nint self, nint* args, nint count) =>
        Guard(() => PyValues.Long(Handles.Add(new LineBuilder(PyValues.ToText(args[0])))));

    [UnmanagedCallersOnly]
    private static nint LineFree(nint self, nint* args, nint count) => Guard(() =>
    {
        Handles.Remove(PyValues.ToLong(args[0]));
        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint LineTag(nint self, nint* args, nint count) => Guard(() =>
    {
        Handles.Get<LineBuilder>(PyValues.ToLong(args[0])).Tag(PyValues.ToText(args[1]), PyValues.ToText(args[2]));
        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint LineField(nint self, nint* args, nint count) => Guard(() =>
    {
        var line = Handles.Get<LineBuilder>(PyValues.ToLong(args[0]));
        var key = PyValues.ToText(args[2]);
        var value = args[3];
        switch (PyValues.ToLong(args[1]))
        {
            case 0:
                line.Int64Field(key, PyValues.ToLong(value));
                break;
            case 1:
                var signed = LibPython.PyLong_AsLongLong(value);
                if (signed == -1 && LibPython.PyErr_Occurred() != 0)
                {
                    LibPython.PyErr_Clear();
                    var unsigned = LibPython.PyLong_AsUnsignedLongLong(value);
                    if (unsigned == ulong.MaxValue && LibPython.PyErr_Occurred() != 0)
                    {
                        throw PythonInterpreter.CurrentError();
                    }

                    line.UInt64Field(key, unsigned);
                }
                else
                {
                    line.UInt64Field(key, signed);
                }

                break;
            case 2:
                line.Float64Field(key, PyValues.ToDouble(value));
                break;
            case 3:
                line.StringField(key, PyValues.ToText(value));
                break;
            default:
                line.BoolField(key, PyValues.ToBool(value));
                break;
        }

        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint LineTime(nint self, nint* args, nint count) => Guard(() =>
    {
        Handles.Get<LineBuilder>(PyValues.ToLong(args[0])).TimeNs(PyValues.ToLong(args[1]));
        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint LineBuild(nint self, nint* args, nint count) =>
        Guard(() => PyValues.Str(Handles.Get<LineBuilder>(PyValues.ToLong(args[0])).Build()));

    [UnmanagedCallersOnly]
    private static nint Log(nint self, nint* args, nint count) => Guard(() =>
    {
        var local = Local(args[0]);
        var text = PyValues.ToText(args[2]);
        switch (PyValues.ToLong(args[1]))
        {
            case 0:
                local.Info(text);
                break;
            case 1:
                local.Warn(text);
                break;
            default:
                local.Error(text);
                break;
        }

        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint Write(nint self, nint* args, nint count) => Guard(() =>
    {
        Writer(args[0]).QueueLine(PyValues.ToOptionalText(args[1]), PyValues.ToText(args[2]));
        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint WriteSync(nint self, nint* args, nint count) => Guard(() =>
    {
        var writer = Writer(args[0]);
        var (database, line, noSync) = (PyValues.ToOptionalText(args[1]), PyValues.ToText(args[2]), PyValues.ToBool(args[3]));
        WithoutGil(() => writer.WriteLineSync(database, line, noSync));
        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint Query(nint self, nint* args, nint count) => Guard(() =>
    {
        var local = Local(args[0]);
        var (sql, parameters, database) = (PyValues.ToText(args[1]), PyValues.ToStringDictionary(args[2]), PyValues.ToOptionalText(args[3]));
        return PyValues.Rows(WithoutGil(() => local.Query(sql, parameters, database)));
    });

    [UnmanagedCallersOnly]
    private static nint CachePut(nint self, nint* args, nint count) => Guard(() =>
    {
        var cache = Local(args[0]).Cache;
        var (key, ttl, global) = (PyValues.ToText(args[1]), args[3] == LibPython.None ? (double?)null : PyValues.ToDouble(args[3]), PyValues.ToBool(args[4]));
        cache.Put(key, PythonObject.FromBorrowed(args[2]), ttl, global);
        return PyValues.None();
    });

    [UnmanagedCallersOnly]
    private static nint CacheGet(nint self, nint* args, nint count) => Guard(() =>
    {
        var value = Local(args[0]).Cache.Get(PyValues.ToText(args[1]), Missing, PyValues.ToBool(args[3]));
        if (ReferenceEquals(value, Missing))
        {
            LibPython.Py_IncRef(args[2]);
            return args[2];
        }

        return PyValues.From(value);
    });

    [UnmanagedCallersOnly]
    private static nint CacheDelete(nint self, nint* args, nint count) =>
        Guard(() => PyValues.Bool(Local(args[0]).Cache.Delete(PyValues.ToText(args[1]), PyValues.ToBool(args[2]))));

    private static IInfluxDb3Local Local(nint handle) => Handles.Get<IInfluxDb3Local>(PyValues.ToLong(handle));

    private static IPluginLineWriter Writer(nint handle) =>
        Local(handle) as IPluginLineWriter ?? throw new InvalidOperationException("this influxdb3_local cannot write lines built in Python");

    private static T WithoutGil<T>(Func<T> work)
    {
        var state = LibPython.PyEval_SaveThread();
        try
        {
            return work();
        }
        finally
        {
            LibPython.PyEval_RestoreThread(state);
        }
    }

    private static void WithoutGil(Action work) => WithoutGil(() =>
    {
        work();
        return true;
    });

    /// <summary>Runs a callback body; an exception becomes the matching Python exception and 0.</summary>
    private static nint Guard(Func<nint> body)
    {
        try
        {
            return body();
        }
        catch (Exception error)
        {
            var (type, message) = error switch
            {
                InvalidMeasurementError => (_invalidMeasurement, error.Message),
                InvalidKeyError => (_invalidKey, error.Message),
                InvalidLineError => (_invalidLine, error.Message),
                QueryError => (_queryError, error.Message),
                InfluxDBError => (_influxDbError, error.Message),
                ArgumentException => (LibPython.ValueError, ParameterSuffix().Replace(error.Message, string.Empty)),
                OperationCanceledException => (_interrupted, "the run was cancelled: its deadline passed or its trigger stopped"),
                PythonException => (LibPython.RuntimeError, error.Message),
                ObjectDisposedException disposed => (LibPython.RuntimeError, disposed.Message.Split(Environment.NewLine)[0]),
                _ => (LibPython.RuntimeError, $"{error.GetType().Name}: {error.Message}"),
            };
            if (LibPython.PyErr_Occurred() != 0)
            {
                LibPython.PyErr_Clear();
            }

            var text = PyValues.Str(message);
            LibPython.PyErr_SetObject(type == 0 ? LibPython.RuntimeError : type, text);
            LibPython.Py_DecRef(text);
            return 0;
        }
    }

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();
}

using Scripting.Core.Plugins;
using Scripting.PluginApi;
using Scripting.Python.Bridge;
using Scripting.Python.Interop;

namespace Scripting.Python;

/// <summary>
/// One loaded version of a Python plugin (a compiled file or an imported package, held in Python).
///
/// Deadline design: a run records the identifier of the thread running it; when the run's cancellation
/// fires (deadline passed, trigger stopped, memory limit), a thread of its own takes the GIL and, if the run is still in
/// Python, raises PluginInterrupted in that thread with PyThreadState_SetAsyncExc. Python checks for it
/// between bytecodes, so a loop that never ends stops; time.sleep is sliced so it stops too. The flag
/// that says a run is in Python is only read and written under the GIL, and an interrupt that arrives
/// as the run ends is cleared before the thread leaves, so it cannot hit the next run on that thread.
/// </summary>
internal sealed class PythonPluginCode(PythonObject plugin, EntryPoints entryPoints) : IPluginCode
{
    public EntryPoints EntryPoints => entryPoints;

    public void ProcessWrites(IInfluxDb3Local local, IReadOnlyList<TableBatch> batches, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
        Run(EntryPoints.ProcessWrites, local, proxy => [proxy, PyValues.TableBatches(batches), PyValues.StringDict(args)], plugin, cancellation);

    public void ProcessScheduledCall(IInfluxDb3Local local, DateTime callTime, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
        Run(EntryPoints.ProcessScheduledCall, local, proxy =>
            [proxy, PythonHost.Call(PythonHost.CallTime, PyValues.Long(new DateTimeOffset(callTime, TimeSpan.Zero).ToUnixTimeSeconds())), PyValues.StringDict(args)], plugin, cancellation);

    public object? ProcessRequest(IInfluxDb3Local local, RequestInput request, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
        Run(EntryPoints.ProcessRequest, local, proxy =>
            [proxy, PyValues.StringDict(request.QueryParameters), PyValues.StringDict(request.Headers), PyValues.Bytes(request.Body), PyValues.StringDict(args)], plugin, cancellation);

    private static unsafe PluginResponse? Run(EntryPoints entryPoint, IInfluxDb3Local local, Func<nint, nint[]> arguments, PythonObject plugin, CancellationToken cancellation)
    {
        var handle = Handles.Add(local);
        var run = new ActiveRun();
        try
        {
            using var gil = PythonInterpreter.Gil.Acquire();
            PythonObject.ReleaseOrphans();
            run.Thread = LibPython.PyThread_get_thread_ident();
            run.InPython = true;
            // A thread of its own, not the pool: when the pool is short of threads (runs waiting for the GIL,
            // say) the interrupt must still come on time.
            using var registration = cancellation.Register(() => new Thread(static state => InterruptUntilStopped((ActiveRun)state!)) { IsBackground = true, Name = "python-interrupt" }.Start(run));
            nint outcome;
            try
            {
                var values = arguments(PythonHost.Call(PythonHost.MakeLocal, PyValues.Long(handle)));
                var tuple = PyValues.Check(LibPython.PyTuple_New(values.Length));
                for (var i = 0; i < values.Length; i++)
                {
                    LibPython.PyTuple_SetItem(tuple, i, values[i]);
                }

                outcome = PythonHost.Call(PythonHost.Invoke, plugin.NewReference(), PyValues.Str(EntryPointSignatures.Name(entryPoint)), tuple);
            }
            catch (PythonException error) when (cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(error.Message, error, cancellation);
            }
            finally
            {
                run.InPython = false;
                LibPython.PyThreadState_SetAsyncExc(run.Thread, 0);
            }

            try
            {
                return Outcome(outcome, entryPoint, cancellation);
            }
            finally
            {
                LibPython.Py_DecRef(outcome);
            }
        }
        finally
        {
            Handles.Remove(handle);
        }
    }

    /// <summary>Reads invoke()'s (status, value, traceback) tuple.</summary>
    private static unsafe PluginResponse? Outcome(nint outcome, EntryPoints entryPoint, CancellationToken cancellation)
    {
        var status = PyValues.ToLong(LibPython.PyTuple_GetItem(outcome, 0));
        var value = LibPython.PyTuple_GetItem(outcome, 1);
        switch (status)
        {
            case 0 when entryPoint == EntryPoints.ProcessRequest:
                return Response(value);
            case 0:
                return null;
            case 2:
                throw new PluginCodeException(EntryPointSignatures.Missing(entryPoint), traceback: null);
            default:
                var message = PyValues.ToText(value);
                if (cancellation.IsCancellationRequested && message.StartsWith("PluginInterrupted", StringComparison.Ordinal))
                {
                    throw new OperationCanceledException(message, cancellation);
                }

                throw new PluginCodeException(message, PyValues.ToText(LibPython.PyTuple_GetItem(outcome, 2)), $"Python function call failed: {message}");
        }
    }

    /// <summary>(body, status, ((name, value), ...)) as the engine's response record.</summary>
    private static unsafe PluginResponse Response(nint response)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var pairs = LibPython.PyTuple_GetItem(response, 2);
        for (nint i = 0, count = LibPython.PyTuple_Size(pairs); i < count; i++)
        {
            var pair = LibPython.PyTuple_GetItem(pairs, i);
            headers[PyValues.ToText(LibPython.PyTuple_GetItem(pair, 0))] = PyValues.ToText(LibPython.PyTuple_GetItem(pair, 1));
        }

        var status = PyValues.ToLong(LibPython.PyTuple_GetItem(response, 1));
        return new PluginResponse(PyValues.ToText(LibPython.PyTuple_GetItem(response, 0)), status is > 0 and < 1000 ? (int)status : 0, headers);
    }

    /// <summary>Raises PluginInterrupted in the run's thread, again every quarter second while it is still in Python.</summary>
    private static void InterruptUntilStopped(ActiveRun run)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            if (!Interrupt(run))
            {
                return;
            }

            Thread.Sleep(250);
        }
    }

    private static unsafe bool Interrupt(ActiveRun run)
    {
        using var gil = PythonInterpreter.Gil.Acquire();
        if (!run.InPython)
        {
            return false;
        }

        LibPython.PyThreadState_SetAsyncExc(run.Thread, ScriptingModule.InterruptedType);
        return true;
    }

    private sealed class ActiveRun
    {
        public ulong Thread;
        public volatile bool InPython;
    }

    public PythonObject Plugin => plugin;
}

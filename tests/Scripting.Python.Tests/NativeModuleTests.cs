using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Scripting.Python.Discovery;
using Scripting.Python.Interop;

namespace Scripting.Python.Tests;

/// <summary>Python calling back into .NET through a native module: the path influxdb3_local will take.</summary>
[Trait("Category", "Python")]
public sealed unsafe class NativeModuleTests
{
    private static readonly ConcurrentQueue<(long Handle, string Text)> Received = new();

    private static readonly Lazy<bool> Registered = new(() =>
    {
        PythonInterpreter.Start(PythonLocator.Find(null, out var problem) ?? throw new InvalidOperationException(problem));
        NativeModule.Register("_scripting_test", [("record", (nint)(delegate* unmanaged<nint, nint*, nint, nint>)&Record)]);
        return true;
    });

    [UnmanagedCallersOnly]
    private static nint Record(nint self, nint* args, nint count)
    {
        try
        {
            if (count != 2)
            {
                throw new ArgumentException($"record(handle, text) takes 2 arguments, got {count}");
            }

            var handle = LibPython.PyLong_AsLongLong(args[0]);
            nint length;
            var text = Marshal.PtrToStringUTF8((nint)LibPython.PyUnicode_AsUTF8AndSize(args[1], &length), (int)length);
            Received.Enqueue((handle, text));
            return NativeModule.None();
        }
        catch (Exception error)
        {
            return NativeModule.Raise(error);
        }
    }

    [Fact]
    public void PythonCallsDotNet_ArgumentsArrive()
    {
        _ = Registered.Value;

        PythonInterpreter.Evaluate("__import__('_scripting_test').record(7, 'héllo' + ' from python') or 'done'")
            .ShouldBe("done");

        Received.ShouldContain((7L, "héllo from python"));
    }

    [Fact]
    public void DotNetError_BecomesPythonRuntimeError_ThePluginCanCatch()
    {
        _ = Registered.Value;

        var result = PythonInterpreter.Evaluate(
            "(lambda g: exec(\"import _scripting_test\\ndef f():\\n    try:\\n        _scripting_test.record(1)\\n    except RuntimeError as e:\\n        return 'caught: ' + str(e)\\n\", g) or g['f']())({})");

        result.ShouldBe("caught: ArgumentException: record(handle, text) takes 2 arguments, got 1");
    }
}

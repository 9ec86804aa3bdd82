using System.Runtime.InteropServices;

namespace Scripting.Python.Interop;

/// <summary>
/// The CPython C API, bound at run time to the libpython the locator found.
///
/// Design note. libpython must be loaded with RTLD_GLOBAL: extension modules (json's _json, numpy, ...)
/// resolve CPython symbols from the global namespace, and .NET's NativeLibrary.Load uses RTLD_LOCAL. So
/// the library is opened with dlopen(RTLD_NOW | RTLD_GLOBAL) and each function is looked up once into an
/// unmanaged function pointer. Partial files group the API by area and say, per call, who owns the
/// returned reference ("new" = the caller must Py_DecRef it; "borrowed" = it must not).
/// </summary>
internal static unsafe partial class LibPython
{
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;
    private static nint _handle;

    /// <summary>The dlopen handle, for optional exports looked up where they are used.</summary>
    public static nint Handle => _handle;

    public static void Load(string path)
    {
        if (_handle != 0)
        {
            return;
        }

        var handle = DlOpen(path, RtldNow | RtldGlobal);
        if (handle == 0)
        {
            throw new DllNotFoundException($"dlopen('{path}') failed: {Marshal.PtrToStringUTF8(DlError())}");
        }

        _handle = handle;
        BindLifecycle();
        BindObjects();
        BindModules();
        BindValues();
    }

    private static nint Symbol(string name) =>
        NativeLibrary.TryGetExport(_handle, name, out var address)
            ? address
            : throw new EntryPointNotFoundException($"libpython does not export {name}");

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial nint DlError();
}

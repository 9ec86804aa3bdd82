using System.Diagnostics;

namespace Scripting.Testing;

/// <summary>
/// A temporary directory that is removed when disposed. Every one lives under one root per test process,
/// which is removed when the process exits; the roots of test processes that died (killed runs) are
/// removed by the next test process, so no run leaves anything in the temporary directory.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    private static readonly string Parent = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scripting-tests");
    private static readonly Lazy<string> ProcessRoot = new(CreateRoot);

    private TempDirectory(string path) => Path = path;

    /// <summary>This test process's root.</summary>
    public static string Root => ProcessRoot.Value;

    public string Path { get; }

    /// <summary>A new, empty directory named after <paramref name="purpose"/>.</summary>
    public static TempDirectory Create(string purpose)
    {
        var directory = new TempDirectory(NewPath(purpose));
        Directory.CreateDirectory(directory.Path);
        return directory;
    }

    /// <summary>A fresh path under the root, not yet created (for code that creates its own directory, such as a server's data dir).</summary>
    public static string NewPath(string purpose) => System.IO.Path.Combine(Root, $"{purpose}-{Guid.NewGuid():N}");

    public static implicit operator string(TempDirectory directory) => directory.Path;

    public override string ToString() => Path;

    public void Dispose() => Remove(Path);

    /// <summary>Removes a directory and what it holds, if it is still there.</summary>
    public static void Remove(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still open by a process the test started; the root goes at exit.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string CreateRoot()
    {
        Directory.CreateDirectory(Parent);
        foreach (var stale in Directory.EnumerateDirectories(Parent))
        {
            if (int.TryParse(System.IO.Path.GetFileName(stale), out var pid) && !IsAlive(pid))
            {
                Remove(stale);
            }
        }

        var root = System.IO.Path.Combine(Parent, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Remove(root);
            try
            {
                Directory.Delete(Parent); // only when no other test process is using it
            }
            catch (IOException)
            {
            }
        };
        return root;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

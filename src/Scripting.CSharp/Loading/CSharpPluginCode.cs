using System.Reflection;
using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.CSharp.Loading;

/// <summary>
/// One loaded version of a C# plugin: the script's submission object and its entry-point methods,
/// found in snake_case (<c>process_writes</c>) or PascalCase (<c>ProcessWrites</c>).
/// </summary>
internal sealed class CSharpPluginCode : IPluginCode
{
    private readonly object _submission;
    private readonly MethodInfo? _writes;
    private readonly MethodInfo? _scheduled;
    private readonly MethodInfo? _request;

    public CSharpPluginCode(PluginLoadContext context, object submission)
    {
        Context = context;
        _submission = submission;
        var type = submission.GetType();
        _writes = Find(type, EntryPoints.ProcessWrites, 3, typeof(IInfluxDb3Local), typeof(IReadOnlyList<TableBatch>), typeof(IReadOnlyDictionary<string, string>));
        _scheduled = Find(type, EntryPoints.ProcessScheduledCall, 3, typeof(IInfluxDb3Local), typeof(DateTime), typeof(IReadOnlyDictionary<string, string>));
        _request = Find(type, EntryPoints.ProcessRequest, 5, typeof(IInfluxDb3Local), typeof(IReadOnlyDictionary<string, string>), typeof(IReadOnlyDictionary<string, string>), typeof(byte[]), typeof(IReadOnlyDictionary<string, string>));
        EntryPoints = (_writes is null ? EntryPoints.None : EntryPoints.ProcessWrites)
            | (_scheduled is null ? EntryPoints.None : EntryPoints.ProcessScheduledCall)
            | (_request is null ? EntryPoints.None : EntryPoints.ProcessRequest);
    }

    public PluginLoadContext? Context { get; private set; }

    public EntryPoints EntryPoints { get; }

    public void ProcessWrites(IInfluxDb3Local local, IReadOnlyList<TableBatch> batches, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
        Call(_writes!, cancellation, local, batches, args);

    public void ProcessScheduledCall(IInfluxDb3Local local, DateTime callTime, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
        Call(_scheduled!, cancellation, local, callTime, args);

    public object? ProcessRequest(IInfluxDb3Local local, RequestInput request, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
        Call(_request!, cancellation, local, request.QueryParameters, request.Headers, request.Body, args);

    public void Unload()
    {
        Context?.Unload();
        Context = null;
    }

    private object? Call(MethodInfo method, CancellationToken cancellation, params object?[] arguments)
    {
        PluginCancellation.Current = cancellation;
        try
        {
            var result = method.Invoke(_submission, BindingFlags.DoNotWrapExceptions, null, arguments, null);
            return result switch
            {
                Task task => Await(task, cancellation),
                _ => result,
            };
        }
        catch (Exception error) when (Unwrap(error) is InsufficientExecutionStackException tooDeep)
        {
            // Thrown by the guard at a method entry (or by the framework) before the stack runs out.
            throw new PluginCodeException($"run stopped: {tooDeep.Message}");
        }
        finally
        {
            PluginCancellation.Current = default;
        }
    }

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions: [var single] } ? Unwrap(single) : error;

    /// <summary>Entry points may be async; the run waits for them on its own thread.</summary>
    private static object? Await(Task task, CancellationToken cancellation)
    {
        task.Wait(cancellation);
        var type = task.GetType();
        return type.IsGenericType && type.GetProperty("Result")?.GetValue(task) is { } value && value.GetType().Name != "VoidTaskResult" ? value : null;
    }

    /// <summary>The plugin's method for <paramref name="entryPoint"/>: by its name (process_writes) or in PascalCase (ProcessWrites).</summary>
    private static MethodInfo? Find(Type type, EntryPoints entryPoint, int arity, params Type[] given)
    {
        var (snake, pascal) = (EntryPointSignatures.Name(entryPoint), entryPoint.ToString());
        var method = type.GetMethod(snake, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            ?? type.GetMethod(pascal, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static);
        if (method is null)
        {
            return null;
        }

        var parameters = method.GetParameters();
        if (parameters.Length != arity || parameters.Where((p, i) => !p.ParameterType.IsAssignableFrom(given[i])).Any())
        {
            var expected = string.Join(", ", given.Select(Name));
            throw new PluginLoadException($"{method.Name} has the wrong parameters: expected ({expected}), found ({string.Join(", ", parameters.Select(p => Name(p.ParameterType)))})");
        }

        return method;
    }

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.Name;
}

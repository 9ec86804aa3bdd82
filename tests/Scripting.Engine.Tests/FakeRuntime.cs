using Scripting.Core.Plugins;
using Scripting.PluginApi;

namespace Scripting.Engine.Tests;

/// <summary>A runtime for `.fake` files whose behaviour the test supplies, so engine logic is tested without a compiler.</summary>
internal sealed class FakeRuntime : IPluginRuntime
{
    public Func<IInfluxDb3Local, object?, object?> Behaviour { get; set; } = (_, _) => null;

    /// <summary>The cancellation token of the run in progress, for behaviours that wait on it.</summary>
    public CancellationToken RunCancellation { get; private set; }

    public PluginLanguage Language { get; } = new("fake", "Fake", ".fake", "plugin.fake");

    public bool CanRun(string path) => Language.Recognizes(path) || path.EndsWith(".fake", StringComparison.Ordinal);

    public (string EntryFile, IReadOnlyList<string> Files) Locate(string path) => (path, [path]);

    public IPluginCode Load(PluginSource source) => new Code(this);

    public void Release(IPluginCode code)
    {
    }

    private sealed class Code(FakeRuntime runtime) : IPluginCode
    {
        public EntryPoints EntryPoints => EntryPoints.ProcessWrites | EntryPoints.ProcessScheduledCall | EntryPoints.ProcessRequest;

        public void ProcessWrites(IInfluxDb3Local local, IReadOnlyList<TableBatch> batches, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
            Call(local, batches, cancellation);

        public void ProcessScheduledCall(IInfluxDb3Local local, DateTime callTime, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
            Call(local, callTime, cancellation);

        public object? ProcessRequest(IInfluxDb3Local local, RequestInput request, IReadOnlyDictionary<string, string>? args, CancellationToken cancellation) =>
            Call(local, request, cancellation);

        private object? Call(IInfluxDb3Local local, object input, CancellationToken cancellation)
        {
            runtime.RunCancellation = cancellation;
            return runtime.Behaviour(local, input);
        }
    }
}

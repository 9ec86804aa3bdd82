using Scripting.Core.Plugins;
using Scripting.Core.Triggers;

namespace Scripting.Engine.Triggers;

/// <summary>A request trigger (<c>request:PATH</c>): runs the plugin for each request, one at a time unless the trigger runs asynchronously.</summary>
internal sealed class RequestTriggerHost(TriggerDefinition trigger, TriggerServices services) : TriggerHost(trigger, services)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<object?> RequestAsync(RequestInput request)
    {
        if (Trigger.Settings.RunAsync)
        {
            return await Services.Runner.RunAsync(Trigger, new RequestInvocation(request), Stopping.Token);
        }

        await _gate.WaitAsync(Stopping.Token);
        try
        {
            return await Services.Runner.RunAsync(Trigger, new RequestInvocation(request), Stopping.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void Stopped() => _gate.Dispose();
}

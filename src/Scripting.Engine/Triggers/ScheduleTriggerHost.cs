using Scripting.Core.Triggers;
using Scripting.Engine.Scheduling;

namespace Scripting.Engine.Triggers;

/// <summary>A schedule trigger (<c>every:</c>, <c>cron:</c>): its <see cref="ScheduleLoop"/> fires the plugin until the host stops.</summary>
internal sealed class ScheduleTriggerHost(TriggerDefinition trigger, TriggerServices services) : TriggerHost(trigger, services)
{
    protected override Task RunAsync()
    {
        var loop = new ScheduleLoop(Trigger.Specification, Trigger.Settings.RunAsync, Services.Time, fireTime => RunWithBehaviorAsync(new ScheduleInvocation(fireTime)));
        return Task.Run(() => loop.RunAsync(Intake.Token));
    }
}

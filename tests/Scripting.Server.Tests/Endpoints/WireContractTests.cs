using System.Text.Json;
using Scripting.Contracts;

namespace Scripting.Server.Tests.Endpoints;

/// <summary>
/// The wire names of the contract's records are InfluxDB 3's (its HTTP API reference): a record renamed
/// in C# must not rename a field on the wire.
/// </summary>
public sealed class WireContractTests
{
    [Fact]
    public void CreateTriggerRequest_UsesInfluxDbFieldNames()
    {
        var request = new CreateTriggerRequest(
            "home", "alert.py", "alert",
            JsonSerializer.SerializeToElement("table:home", ApiJsonContext.Default.String),
            JsonSerializer.SerializeToElement(new TriggerSettingsBody(false, "log"), ApiJsonContext.Default.TriggerSettingsBody),
            null,
            false);

        Keys(JsonSerializer.SerializeToElement(request, ApiJsonContext.Default.CreateTriggerRequest))
            .ShouldBe(["db", "plugin_filename", "trigger_name", "trigger_specification", "trigger_settings", "trigger_arguments", "disabled"]);
        Keys(JsonSerializer.SerializeToElement(request.TriggerSettings!.Value)).ShouldBe(["run_async", "error_behavior"]);
    }

    [Fact]
    public void DryRunRequestsAndResult_UseInfluxDbFieldNames()
    {
        Keys(JsonSerializer.SerializeToElement(new WalTestRequest("a.py", "home", "m f=1", "c", []), ApiJsonContext.Default.WalTestRequest))
            .ShouldBe(["filename", "database", "input_lp", "cache_name", "input_arguments"]);
        Keys(JsonSerializer.SerializeToElement(new ScheduleTestRequest("a.py", "home", "every:1s"), ApiJsonContext.Default.ScheduleTestRequest))
            .ShouldBe(["filename", "database", "schedule", "cache_name", "input_arguments"]);
        Keys(JsonSerializer.SerializeToElement(new PluginTestResponse([], new Dictionary<string, List<string>>(), []), ApiJsonContext.Default.PluginTestResponse))
            .ShouldBe(["log_lines", "database_writes", "errors"]);
    }

    [Fact]
    public void TokenAndErrorBodies_UseInfluxDbFieldNames()
    {
        var now = DateTimeOffset.UnixEpoch;
        Keys(JsonSerializer.SerializeToElement(new CreatedToken(0, "_admin", "apiv3_x", "h", now, null), ApiJsonContext.Default.CreatedToken))
            .ShouldBe(["id", "name", "token", "hash", "created_at", "expiry"]);
        Keys(JsonSerializer.SerializeToElement(new NamedTokenRequest("ops", 60), ApiJsonContext.Default.NamedTokenRequest)).ShouldBe(["token_name", "expiry_secs"]);
        Keys(JsonSerializer.SerializeToElement(new RejectedLine("bad", 2, "m"), ApiJsonContext.Default.RejectedLine)).ShouldBe(["error_message", "line_number", "original_line"]);
        Keys(JsonSerializer.SerializeToElement(new ErrorResponse("x"), ApiJsonContext.Default.ErrorResponse)).ShouldBe(["error"]);
        Keys(JsonSerializer.SerializeToElement(new PluginFileRequest("a.py", ""), ApiJsonContext.Default.PluginFileRequest)).ShouldBe(["plugin_name", "content"]);
        Keys(JsonSerializer.SerializeToElement(new InstallRequirementsRequest("r.txt"), ApiJsonContext.Default.InstallRequirementsRequest)).ShouldBe(["requirements_location"]);
    }

    private static List<string> Keys(JsonElement json) => [.. json.EnumerateObject().Select(p => p.Name)];
}

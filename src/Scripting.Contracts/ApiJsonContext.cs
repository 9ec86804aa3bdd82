using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scripting.Contracts;

/// <summary>The JSON of the API, generated at build time: snake_case names, as InfluxDB's API.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(CreateDatabaseRequest))]
[JsonSerializable(typeof(CreateTableRequest))]
[JsonSerializable(typeof(QueryRequest))]
[JsonSerializable(typeof(CreateTriggerRequest))]
[JsonSerializable(typeof(TriggerSettingsBody))]
[JsonSerializable(typeof(DeleteTriggerRequest))]
[JsonSerializable(typeof(WalTestRequest))]
[JsonSerializable(typeof(ScheduleTestRequest))]
[JsonSerializable(typeof(PluginTestResponse))]
[JsonSerializable(typeof(PluginFileRequest))]
[JsonSerializable(typeof(PluginDirectoryRequest))]
[JsonSerializable(typeof(PluginListResponse))]
[JsonSerializable(typeof(InstallPackagesRequest))]
[JsonSerializable(typeof(InstallRequirementsRequest))]
[JsonSerializable(typeof(NamedTokenRequest))]
[JsonSerializable(typeof(TokenInfo))]
[JsonSerializable(typeof(IReadOnlyList<TokenInfo>))]
[JsonSerializable(typeof(CreatedToken))]
[JsonSerializable(typeof(CreateSecretRequest))]
[JsonSerializable(typeof(CreatedSecret))]
[JsonSerializable(typeof(IReadOnlyList<SecretInfo>))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(RejectedLine))]
[JsonSerializable(typeof(IReadOnlyList<RejectedLine>))]
[JsonSerializable(typeof(V2ErrorResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

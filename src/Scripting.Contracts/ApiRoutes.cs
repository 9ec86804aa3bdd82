namespace Scripting.Contracts;

/// <summary>Every HTTP path of the API, shared by the server and the client.</summary>
public static class ApiRoutes
{
    public const string WriteLp = "/api/v3/write_lp";
    public const string WriteV2 = "/api/v2/write";
    public const string WriteV1 = "/write";
    public const string QuerySql = "/api/v3/query_sql";
    public const string QueryV1 = "/query";
    public const string Database = "/api/v3/configure/database";
    public const string Table = "/api/v3/configure/table";
    public const string Health = "/health";
    public const string HealthV1 = "/api/v1/health";
    public const string Ping = "/ping";
    public const string Trigger = "/api/v3/configure/processing_engine_trigger";
    public const string TriggerEnable = "/api/v3/configure/processing_engine_trigger/enable";
    public const string TriggerDisable = "/api/v3/configure/processing_engine_trigger/disable";
    public const string EnginePrefix = "/api/v3/engine";
    public const string PluginTestWal = "/api/v3/plugin_test/wal";
    public const string PluginTestSchedule = "/api/v3/plugin_test/schedule";
    public const string Plugins = "/api/v3/plugins";
    public const string PluginFiles = "/api/v3/plugins/files";
    public const string PluginDirectory = "/api/v3/plugins/directory";
    public const string Token = "/api/v3/configure/token";
    public const string Secret = "/api/v3/configure/secret";
    public const string TokenAdmin = "/api/v3/configure/token/admin";
    public const string TokenAdminRegenerate = "/api/v3/configure/token/admin/regenerate";
    public const string TokenNamedAdmin = "/api/v3/configure/token/named_admin";
    public const string InstallPackages = "/api/v3/configure/plugin_environment/install_packages";
    public const string InstallRequirements = "/api/v3/configure/plugin_environment/install_requirements";
}

namespace Scripting.Core.Catalog;

/// <summary>
/// How large the schema may grow, as InfluxDB 3 limits it (configurable here): databases on the server,
/// tables across all databases, and tag plus field columns per table (<c>time</c> not counted).
/// The texts are upstream's, so clients that look for them keep working.
/// </summary>
public sealed record SchemaLimits(int Databases = 100, int Tables = 4_000, int ColumnsPerTable = 500)
{
    /// <summary>How every table or column limit error begins; writes answer 422 when a line failed this way.</summary>
    public const string ExceededPrefix = "Update to schema would exceed number of";

    public static SchemaLimits Default { get; } = new();

    public string DatabasesExceeded => $"Adding a new database would exceed limit of {Databases} databases";

    public string TablesExceeded(int current) =>
        $"{ExceededPrefix} tables limit: attempted to create table but already have {current} table(s) (limit: {Tables})";

    public string ColumnsExceeded => $"{ExceededPrefix} columns per table limit of {ColumnsPerTable} columns";
}

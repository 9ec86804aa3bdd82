namespace Scripting.Storage.DuckDb;

/// <summary>
/// The rules of InfluxDB 3's SQL (DataFusion's) that DuckDB has a setting for, applied to every instance
/// before its configuration is locked. The rules it has no setting for are translated by the query layer.
/// </summary>
internal static class DataFusionRules
{
    /// <summary>
    /// NULLs sort last ascending and first descending, as in PostgreSQL (DuckDB puts them last both ways).
    /// Division is translated (an integer divided by an integer is an integer, a float divided by zero infinite).
    /// </summary>
    public const string Settings = """
        SET GLOBAL default_null_order = 'nulls_last_on_asc_first_on_desc';
        SET GLOBAL explain_output = 'all';
        """;
}

namespace Scripting.Storage.DuckDb;

/// <summary>
/// The rules of InfluxDB 3's SQL (DataFusion's) that DuckDB has a setting for, applied to every instance
/// before its configuration is locked. The rules it has no setting for are translated by the query layer.
/// </summary>
internal static class DataFusionRules
{
    /// <summary>
    /// <c>/</c> of two integers is an integer, truncated toward zero (<c>7 / 2</c> is 3, not 3.5); NULLs sort
    /// last ascending and first descending, as in PostgreSQL (DuckDB puts them last both ways).
    /// </summary>
    public const string Settings = """
        SET GLOBAL integer_division = true;
        SET GLOBAL default_null_order = 'nulls_last_on_asc_first_on_desc';
        """;
}

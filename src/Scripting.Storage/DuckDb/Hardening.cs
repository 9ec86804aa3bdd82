using DuckDB.NET.Data;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// Defence in depth under the query layer's check. Once a database's files are open, its DuckDB instance
/// loses file access (reading, writing, attaching, listing: only <paramref name="exportDirectory"/>, where
/// Parquet results are streamed through named pipes, stays reachable), cannot install or load extensions,
/// runs in UTC with the query memory limit, and then locks its configuration, so a statement that slipped
/// past the check can neither reach files nor change settings. Writes that slipped past are undone
/// because every query runs in a transaction that is rolled back (see <see cref="DuckDbQueryStream"/>).
/// </summary>
internal static class Hardening
{
    public static void Apply(DuckDBConnection connection, long? memoryLimit, string? exportDirectory)
    {
        var allowed = exportDirectory is null ? string.Empty : $"SET allowed_directories = [{SqlNames.Literal(exportDirectory.TrimEnd('/') + "/")}];";
        var memory = memoryLimit is { } bytes ? $"SET memory_limit = '{Math.Max(bytes / 1024, 1024)}KiB';" : string.Empty;
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SET autoinstall_known_extensions = false;
            SET autoload_known_extensions = false;
            SET allow_community_extensions = false;
            {allowed}
            SET enable_external_access = false;
            SET GLOBAL TimeZone = 'UTC';
            {DataFusionRules.Settings}
            {memory}
            SET lock_configuration = true;
            """;
        command.ExecuteNonQuery();
    }
}

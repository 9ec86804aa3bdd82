namespace Scripting.Storage.DuckDb;

/// <summary>Schemas inside each database file, and identifier quoting.</summary>
internal static class SqlNames
{
    /// <summary>Tables as stored: <c>time</c> as BIGINT nanoseconds first, then columns in the order they appeared.</summary>
    public const string StoreSchema = "store";

    /// <summary>Each table's rewrite log (<see cref="RewriteLog"/>): points rewritten far back in its history, not yet compacted.</summary>
    public const string RewriteSchema = "rewrites";

    /// <summary>What SQL sees: one view per table, columns sorted by name, <c>time</c> as TIMESTAMP_NS.</summary>
    public const string TableSchema = "iox";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

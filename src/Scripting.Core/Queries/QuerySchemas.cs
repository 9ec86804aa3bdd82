namespace Scripting.Core.Queries;

/// <summary>Where checked statements find what SQL may read, inside each database's store.</summary>
public static class QuerySchemas
{
    /// <summary>One view per table, columns sorted by name, <c>time</c> as a nanosecond timestamp.</summary>
    public const string Tables = "iox";

    /// <summary>A <c>system.NAME</c> table is filled, for the one query that reads it, into this temporary table.</summary>
    public static string SystemTable(string name) => "__system_" + name.ToLowerInvariant();
}

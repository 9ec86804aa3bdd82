namespace Scripting.Query.Statements;

public enum StatementKind
{
    Select,
    ShowTables,
    ShowColumns,
    Describe,
    Explain,
}

/// <summary>One accepted statement: its kind, the query inside it (for SELECT and EXPLAIN) or the table it names.</summary>
public sealed record Statement(StatementKind Kind, string Query, string? Table = null, bool Analyze = false);

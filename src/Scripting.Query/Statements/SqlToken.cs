namespace Scripting.Query.Statements;

internal enum SqlTokenKind
{
    Word,
    QuotedIdentifier,
    String,
    Number,
    Parameter,
    Symbol,
    Space,
    Comment,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, string Text)
{
    public bool IsWord(string word) => Kind == SqlTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    /// <summary>The identifier this token names, unquoted; null for non-identifiers.</summary>
    public string? Identifier => Kind switch
    {
        SqlTokenKind.Word => Text,
        SqlTokenKind.QuotedIdentifier => Text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal),
        _ => null,
    };

    public bool IsSignificant => Kind is not (SqlTokenKind.Space or SqlTokenKind.Comment);
}

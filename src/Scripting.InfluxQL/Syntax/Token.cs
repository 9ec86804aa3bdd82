namespace Scripting.InfluxQL.Syntax;

internal enum TokenKind
{
    Eof,
    Identifier,
    Keyword,
    String,
    Integer,
    Number,
    Duration,
    Regex,
    BoundParameter,
    Operator,
    Illegal,
}

/// <summary>A token of InfluxQL, with where it starts (line and character, from 1) for error messages.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Char)
{
    public bool Is(string keyword) => Kind == TokenKind.Keyword && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsOperator(string symbol) => Kind == TokenKind.Operator && Text == symbol;

    /// <summary>The token as InfluxDB's parser names it in "found X" (keywords upper case, EOF).</summary>
    public string Found => Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Keyword => Text.ToUpperInvariant(),
        TokenKind.String => $"'{Text}'",
        TokenKind.Regex => $"/{Text}/",
        _ => Text,
    };
}

namespace Scripting.InfluxQL.Syntax;

/// <summary>An InfluxQL expression.</summary>
internal abstract record Expr;

/// <summary>A column: a field or tag by name, with an optional <c>::field</c>/<c>::tag</c> (or type) cast.</summary>
internal sealed record VarRef(string Name, string? Cast = null) : Expr;

internal sealed record Wildcard(string? Cast = null) : Expr;

/// <summary>A regular expression: in FROM, GROUP BY, or after <c>=~</c>/<c>!~</c>.</summary>
internal sealed record RegexLiteral(string Pattern) : Expr;

internal sealed record StringLiteral(string Value) : Expr;

internal sealed record IntegerLiteral(long Value) : Expr;

internal sealed record NumberLiteral(double Value) : Expr;

internal sealed record BooleanLiteral(bool Value) : Expr;

/// <summary>A duration literal in nanoseconds (<c>10m</c>).</summary>
internal sealed record DurationLiteral(long Nanoseconds, string Text) : Expr;

internal sealed record BoundParameter(string Name) : Expr;

internal sealed record Call(string Name, IReadOnlyList<Expr> Arguments) : Expr;

internal sealed record Binary(string Operator, Expr Left, Expr Right) : Expr;

internal sealed record Paren(Expr Inner) : Expr;

/// <summary>A field of a SELECT, with its alias.</summary>
internal sealed record SelectField(Expr Expression, string? Alias);

/// <summary>A source: a measurement (by name or regex, optionally qualified by database and retention policy) or a subquery.</summary>
internal abstract record Source;

internal sealed record MeasurementSource(string? Database, string? RetentionPolicy, string? Name, string? Regex) : Source;

internal sealed record SubquerySource(SelectStatement Select) : Source;

/// <summary><c>GROUP BY time(interval[, offset])</c>.</summary>
internal sealed record TimeDimension(long IntervalNanoseconds, long OffsetNanoseconds, bool OffsetIsNow);

internal enum FillKind
{
    Null,
    None,
    Previous,
    Linear,
    Value,
}

internal sealed record Fill(FillKind Kind, object? Value);

internal abstract record Statement;

internal sealed record SelectStatement(
    IReadOnlyList<SelectField> Fields,
    IReadOnlyList<Source> Sources,
    Expr? Condition,
    TimeDimension? GroupByTime,
    IReadOnlyList<string> GroupByTags,
    string? GroupByTagRegex,
    bool GroupByAllTags,
    Fill Fill,
    bool Descending,
    long? Limit,
    long? Offset,
    long? SeriesLimit,
    long? SeriesOffset,
    string? TimeZone,
    string? Into) : Statement;

internal sealed record ShowDatabasesStatement : Statement;

internal sealed record ShowRetentionPoliciesStatement(string? Database) : Statement;

internal sealed record ShowMeasurementsStatement(string? Database, string? MeasurementName, string? MeasurementRegex, Expr? Condition, long? Limit, long? Offset) : Statement;

internal sealed record ShowTagKeysStatement(string? Database, IReadOnlyList<Source> Sources, Expr? Condition, long? Limit, long? Offset) : Statement;

/// <summary><c>SHOW TAG VALUES ... WITH KEY</c> <c>= k</c>, <c>!= k</c>, <c>IN (a, b)</c>, <c>=~ /re/</c> or <c>!~ /re/</c>.</summary>
internal sealed record ShowTagValuesStatement(string? Database, IReadOnlyList<Source> Sources, string KeyOperator, IReadOnlyList<string> Keys, string? KeyRegex, Expr? Condition, long? Limit, long? Offset) : Statement;

internal sealed record ShowFieldKeysStatement(string? Database, IReadOnlyList<Source> Sources, long? Limit, long? Offset) : Statement;

internal sealed record ShowSeriesStatement(string? Database, IReadOnlyList<Source> Sources, Expr? Condition, long? Limit, long? Offset) : Statement;

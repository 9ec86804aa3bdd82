namespace Scripting.Contracts;

/// <summary><c>POST /api/v3/configure/database</c>.</summary>
public sealed record CreateDatabaseRequest(string? Db, string? RetentionPeriod = null);

/// <summary>A field of <see cref="CreateTableRequest"/>: its name and one of the field types (int64, uint64, float64, utf8, bool).</summary>
public sealed record FieldSpec(string? Name, string? Type);

/// <summary><c>POST /api/v3/configure/table</c>.</summary>
public sealed record CreateTableRequest(string? Db, string? Table, List<string>? Tags, List<FieldSpec>? Fields);

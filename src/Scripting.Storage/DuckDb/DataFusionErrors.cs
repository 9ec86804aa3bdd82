using System.Text.RegularExpressions;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// The store's error messages in the words InfluxDB 3 (DataFusion and Arrow) uses for the same mistake, about
/// what the user wrote: cast and overflow errors, unknown functions and columns, bad regular expressions.
/// The store's own suggestions ("Did you mean ...", candidate lists) are dropped: they name the store's
/// functions, not InfluxDB's. Type names are InfluxDB's (Arrow's).
/// </summary>
internal static partial class DataFusionErrors
{
    private static readonly (Regex Pattern, Func<Match, string> Text)[] Rules =
    [
        (StringToNumber(), m => $"Cast error: Cannot cast string '{m.Groups[1].Value}' to value of {ArrowType(m.Groups[2].Value)} type"),
        (StringToBool(), m => $"Cast error: Cannot cast value '{m.Groups[1].Value}' to value of Boolean type"),
        (OutOfRange(), m => $"Cast error: Can't cast value {m.Groups[2].Value} to type {ArrowType(m.Groups[3].Value)}"),
        (Overflow(), m => $"Arrow error: Arithmetic overflow: Overflow happened on: {m.Groups[3].Value}"),
        (DateOutOfRange(), m => $"Execution error: Unable to parse date from {m.Groups[1].Value}, {m.Groups[2].Value}, {m.Groups[3].Value}"),
        (UnknownZone(), m => $"Execution error: failed to parse timezone: '{m.Groups[1].Value}'"),
        (Percentile(), _ => "Error during planning: Percentile value must be between 0.0 and 1.0 inclusive"),
        (UnknownFunction(), m => $"Error during planning: Invalid function '{m.Groups[1].Value}'"),
        (UnknownColumn(), m => $"Schema error: No field named {m.Groups[1].Value}"),
        (NotGrouped(), m => $"Error during planning: Projection references non-aggregate values: Expression {m.Groups[1].Value} could not be resolved from available columns"),
        (NoMatchingFunction(), m => $"Error during planning: No function matches the given name and argument types '{m.Groups[1].Value}({ArrowTypes(m.Groups[2].Value)})'. You might need to add explicit type casts."),
        (MacroArguments(), m => $"Error during planning: Function '{m.Groups[1].Value}' does not support the given arguments"),
        (BadRegex(), m => $"Execution error: Regular expression did not compile: regex parse error: {m.Value}"),
    ];

    public static string Translate(string cause)
    {
        foreach (var (pattern, text) in Rules)
        {
            var match = pattern.Match(cause);
            if (match.Success)
            {
                return text(match);
            }
        }

        return ArrowTypes(cause);
    }

    /// <summary>The Arrow name of a store type, as InfluxDB's messages name types.</summary>
    private static string ArrowType(string type) => type.Trim('"') switch
    {
        "INT8" or "TINYINT" => "Int8",
        "INT16" or "SMALLINT" => "Int16",
        "INT32" or "INTEGER" => "Int32",
        "INT64" or "BIGINT" or "INTEGER_LITERAL" => "Int64",
        "UINT8" or "UTINYINT" => "UInt8",
        "UINT16" or "USMALLINT" => "UInt16",
        "UINT32" or "UINTEGER" => "UInt32",
        "UINT64" or "UBIGINT" => "UInt64",
        "FLOAT" => "Float32",
        "DOUBLE" => "Float64",
        "VARCHAR" or "STRING_LITERAL" => "Utf8",
        "BOOL" or "BOOLEAN" => "Boolean",
        "TIMESTAMP_NS" or "TIMESTAMP" => "Timestamp(Nanosecond, None)",
        "TIMESTAMP WITH TIME ZONE" => "Timestamp(Nanosecond, Some(\"UTC\"))",
        "DATE" => "Date32",
        "INTERVAL" => "Interval(MonthDayNano)",
        "BLOB" => "Binary",
        var other => other,
    };

    /// <summary>The store's type names in <paramref name="text"/> as Arrow's (for messages and plans a user reads).</summary>
    public static string ArrowTypes(string text) => StoreTypeName().Replace(text, m => ArrowType(m.Value));

    [GeneratedRegex(@"Could not convert string '(.*)' to (U?INT\d+)")]
    private static partial Regex StringToNumber();

    [GeneratedRegex(@"Could not convert string '(.*)' to BOOL")]
    private static partial Regex StringToBool();

    [GeneratedRegex(@"Type (\w+) with value (.*) can't be cast because the value is out of range for the destination type (\w+)")]
    private static partial Regex OutOfRange();

    [GeneratedRegex(@"Overflow in (addition|subtraction|multiplication|negation) of (\w+) \((.*)\)!?")]
    private static partial Regex Overflow();

    [GeneratedRegex(@"Date out of range: (-?\d+)-(\d+)-(\d+)")]
    private static partial Regex DateOutOfRange();

    [GeneratedRegex(@"Unknown TimeZone '([^']*)'")]
    private static partial Regex UnknownZone();

    [GeneratedRegex(@"PERCENTILEs can only take parameters in the range")]
    private static partial Regex Percentile();

    [GeneratedRegex(@"(?:Scalar|Aggregate|Table) Function with name (\w+) does not exist")]
    private static partial Regex UnknownFunction();

    [GeneratedRegex(@"Referenced column ""([^""]+)"" not found")]
    private static partial Regex UnknownColumn();

    [GeneratedRegex(@"column ""([^""]+)"" must appear in the GROUP BY clause")]
    private static partial Regex NotGrouped();

    [GeneratedRegex(@"No function matches the given name and argument types '(\w+)\(([^)]*)\)'")]
    private static partial Regex NoMatchingFunction();

    [GeneratedRegex(@"Macro (\w+)\(\) does not support the supplied arguments")]
    private static partial Regex MacroArguments();

    [GeneratedRegex(@"^(missing \)|missing \]|missing argument to repetition operator|bad repetition operator|invalid (escape sequence|character class|named capture group|repeat|perl operator)|trailing \\|unexpected \)|no argument for repetition operator).*$")]
    private static partial Regex BadRegex();

    [GeneratedRegex(@"\b(TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|STRING_LITERAL|INTEGER_LITERAL|VARCHAR|BIGINT|UBIGINT|INTEGER|DOUBLE|BOOLEAN|HUGEINT)\b")]
    private static partial Regex StoreTypeName();
}

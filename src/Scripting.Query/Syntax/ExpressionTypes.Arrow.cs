using System.Text.Json.Nodes;
using Scripting.Core.Catalog;

namespace Scripting.Query.Syntax;

/// <summary>The Arrow type names InfluxDB 3 reports (<c>arrow_typeof</c>) and takes (<c>arrow_cast</c>).</summary>
internal sealed partial class ExpressionTypes
{
    /// <summary>The Arrow type name InfluxDB 3 reports for an expression (<c>arrow_typeof</c>); null when the tree does not tell.</summary>
    public string? ArrowName(JsonNode? node)
    {
        if (node is not JsonObject expression)
        {
            return null;
        }

        switch (SelectTree.Text(expression, "class"))
        {
            case "COLUMN_REF":
                var names = expression["column_names"]!.AsArray();
                var name = names[^1]!.GetValue<string>();
                if (name.Equals("time", StringComparison.OrdinalIgnoreCase))
                {
                    return ColumnTypes.ArrowName(ColumnType.Time);
                }

                return _catalogColumns.TryGetValue(name, out var column) ? ColumnTypes.ArrowName(column) : null;
            case "CONSTANT":
                var value = expression["value"]!;
                if (value["is_null"]?.GetValue<bool>() == true)
                {
                    return "Null";
                }

                return (value["type"]?["id"]?.GetValue<string>() ?? string.Empty) switch
                {
                    "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" => "Int64",
                    "HUGEINT" or "UBIGINT" => "UInt64",
                    var id => StoreArrowName(id),
                };
            case "CAST":
                var target = expression["cast_type"]?["id"]?.GetValue<string>() ?? string.Empty;
                return StoreArrowName(target);
            case "FUNCTION" when SelectTree.Text(expression, "function_name").Equals("arrow_cast", StringComparison.OrdinalIgnoreCase):
                var arguments = expression["children"] as JsonArray;
                return arguments is { Count: 2 } && arguments[1] is JsonObject named && named["value"] is JsonObject constant
                       && constant["value"] is JsonValue text && text.TryGetValue<string>(out var arrowType)
                    ? arrowType
                    : null;
        }

        if (Zone(expression) is { } zone)
        {
            return $"Timestamp(Nanosecond, Some(\"{zone}\"))";
        }

        return Infer(expression) switch
        {
            ValueType.Integer => "Int64",
            ValueType.UInteger => "UInt64",
            ValueType.Float => "Float64",
            ValueType.Text => "Utf8",
            ValueType.Boolean => "Boolean",
            ValueType.Timestamp => "Timestamp(Nanosecond, None)",
            ValueType.Interval => "Interval(MonthDayNano)",
            ValueType.Date => "Date32",
            ValueType.Null => "Null",
            _ => null,
        };
    }

    /// <summary>The Arrow name of a store type.</summary>
    public static string? StoreArrowName(string id) => id switch
    {
        "TINYINT" => "Int8",
        "SMALLINT" => "Int16",
        "INTEGER" => "Int32",
        "BIGINT" => "Int64",
        "HUGEINT" => "Int64",
        "UTINYINT" => "UInt8",
        "USMALLINT" => "UInt16",
        "UINTEGER" => "UInt32",
        "UBIGINT" => "UInt64",
        "FLOAT" => "Float32",
        "DOUBLE" or "DECIMAL" => "Float64",
        "VARCHAR" or "STRING_LITERAL" => "Utf8",
        "BOOLEAN" => "Boolean",
        "TIMESTAMP" or "TIMESTAMP_NS" => "Timestamp(Nanosecond, None)",
        "TIMESTAMP_MS" => "Timestamp(Millisecond, None)",
        "TIMESTAMP_S" => "Timestamp(Second, None)",
        "DATE" => "Date32",
        "INTERVAL" => "Interval(MonthDayNano)",
        "BLOB" => "Binary",
        _ => null,
    };

    /// <summary>The store type for an Arrow type name (<c>arrow_cast</c>'s second argument); null for a name it has no type for.</summary>
    public static string? StoreType(string arrow) => arrow.Replace(" ", string.Empty, StringComparison.Ordinal) switch
    {
        "Int8" => "TINYINT",
        "Int16" => "SMALLINT",
        "Int32" => "INTEGER",
        "Int64" => "BIGINT",
        "UInt8" => "UTINYINT",
        "UInt16" => "USMALLINT",
        "UInt32" => "UINTEGER",
        "UInt64" => "UBIGINT",
        "Float32" => "FLOAT",
        "Float64" => "DOUBLE",
        "Utf8" or "LargeUtf8" or "Utf8View" or "Dictionary(Int32,Utf8)" => "VARCHAR",
        "Boolean" => "BOOLEAN",
        "Timestamp(Nanosecond,None)" or "Timestamp(ns)" => "TIMESTAMP_NS",
        "Timestamp(Microsecond,None)" or "Timestamp(µs)" => "TIMESTAMP_NS",
        "Timestamp(Millisecond,None)" or "Timestamp(ms)" => "TIMESTAMP_NS",
        "Timestamp(Second,None)" or "Timestamp(s)" => "TIMESTAMP_NS",
        "Date32" or "Date64" => "DATE",
        "Binary" or "LargeBinary" or "BinaryView" => "BLOB",
        _ => null,
    };
}

using Scripting.Core.LineProtocol;

namespace Scripting.Core.Catalog;

public enum ColumnType
{
    Tag,
    Float,
    Integer,
    UInteger,
    String,
    Boolean,
    Time,
}

public static class ColumnTypes
{
    public static ColumnType FromField(FieldKind kind) => kind switch
    {
        FieldKind.Float => ColumnType.Float,
        FieldKind.Integer => ColumnType.Integer,
        FieldKind.UInteger => ColumnType.UInteger,
        FieldKind.String => ColumnType.String,
        _ => ColumnType.Boolean,
    };

    /// <summary>The names InfluxDB 3 prints in schema conflict errors.</summary>
    public static string IoxName(ColumnType type) => type switch
    {
        ColumnType.Tag => "iox::column_type::tag",
        ColumnType.Float => "iox::column_type::field::float",
        ColumnType.Integer => "iox::column_type::field::integer",
        ColumnType.UInteger => "iox::column_type::field::uinteger",
        ColumnType.String => "iox::column_type::field::string",
        ColumnType.Boolean => "iox::column_type::field::boolean",
        _ => "iox::column_type::timestamp",
    };

    /// <summary>The Arrow type names InfluxDB 3 shows in SHOW COLUMNS and information_schema.</summary>
    public static string ArrowName(ColumnType type) => type switch
    {
        ColumnType.Tag => "Dictionary(Int32, Utf8)",
        ColumnType.Float => "Float64",
        ColumnType.Integer => "Int64",
        ColumnType.UInteger => "UInt64",
        ColumnType.String => "Utf8",
        ColumnType.Boolean => "Boolean",
        _ => "Timestamp(Nanosecond, None)",
    };

    /// <summary>Field type names of the create-table API and CLI.</summary>
    public static bool TryParseFieldType(string? name, out ColumnType type)
    {
        switch (name?.ToLowerInvariant())
        {
            case "utf8" or "string": type = ColumnType.String; return true;
            case "int64" or "integer": type = ColumnType.Integer; return true;
            case "uint64" or "uinteger": type = ColumnType.UInteger; return true;
            case "float64" or "float": type = ColumnType.Float; return true;
            case "bool" or "boolean": type = ColumnType.Boolean; return true;
            default: type = ColumnType.String; return false;
        }
    }

    public const string FieldTypeNames = "utf8, int64, uint64, float64, bool";
}

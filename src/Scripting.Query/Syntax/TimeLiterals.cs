using System.Text.Json.Nodes;
using Scripting.Core.LineProtocol;

namespace Scripting.Query.Syntax;

/// <summary>Integer literals compared with <c>time</c>: seconds, milliseconds, microseconds or nanoseconds by their size, as line-protocol timestamps.</summary>
internal static class TimeLiterals
{
    private static readonly HashSet<string> IntegerTypes = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"];

    public static long? Nanoseconds(JsonObject constant)
    {
        if (SelectTree.Text(constant, "class") != "CONSTANT" || constant["value"] is not JsonObject value
            || value["is_null"]?.GetValue<bool>() == true
            || !IntegerTypes.Contains(value["type"]?["id"]?.GetValue<string>() ?? string.Empty)
            || value["value"] is not JsonValue number || !number.TryGetValue<long>(out var integer))
        {
            return null;
        }

        return PrecisionNames.TryToNanoseconds(integer, Precision.Auto, out var nanoseconds) ? nanoseconds : null;
    }
}

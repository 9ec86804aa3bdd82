using Apache.Arrow;
using Apache.Arrow.Types;

namespace Scripting.Flight.Sql;

/// <summary>
/// <c>CommandGetSqlInfo</c>'s answer: facts about the server and its SQL as Flight SQL numbers them
/// (<c>SqlInfo</c> in the specification), each value in the slot of the dense union its type takes.
/// </summary>
internal static class SqlInfo
{
    private const uint ServerName = 0;
    private const uint ServerVersion = 1;
    private const uint ServerArrowVersion = 2;
    private const uint ServerReadOnly = 3;
    private const uint ServerSql = 4;
    private const uint ServerSubstrait = 5;
    private const uint ServerTransaction = 8;
    private const uint ServerCancel = 9;
    private const uint ServerStatementTimeout = 100;
    private const uint DdlCatalog = 500;
    private const uint DdlSchema = 501;
    private const uint DdlTable = 502;
    private const uint IdentifierCase = 503;
    private const uint IdentifierQuoteChar = 504;
    private const uint QuotedIdentifierCase = 505;
    private const uint AllTablesAreSelectable = 506;
    private const uint NullOrdering = 507;
    private const uint SearchStringEscape = 513;
    private const uint ExtraNameCharacters = 514;
    private const uint SupportsColumnAliasing = 515;
    private const uint NullPlusNullIsNull = 516;
    private const uint SupportsExpressionsInOrderBy = 520;
    private const uint SupportsOrderByUnrelated = 521;
    private const uint SupportsLikeEscapeClause = 523;
    private const uint SupportsNonNullableColumns = 524;
    private const uint SchemaTerm = 529;
    private const uint ProcedureTerm = 530;
    private const uint CatalogAtStart = 532;
    private const uint SelectForUpdateSupported = 536;

    private const sbyte StringSlot = 0;
    private const sbyte BoolSlot = 1;
    private const sbyte BigIntSlot = 2;
    private const sbyte Int32Slot = 3;

    private static readonly Field ListItem = new("item", StringType.Default, nullable: true);

    private static readonly UnionType ValueType = new(
        [
            new Field("string_value", StringType.Default, nullable: true),
            new Field("bool_value", BooleanType.Default, nullable: true),
            new Field("bigint_value", Int64Type.Default, nullable: true),
            new Field("int32_bitmask", Int32Type.Default, nullable: true),
            new Field("string_list", new ListType(ListItem), nullable: true),
            new Field("int32_to_int32_list_map", new MapType(new Field("key", Int32Type.Default, nullable: false), new Field("value", new ListType(new Field("item", Int32Type.Default, nullable: true)), nullable: true), keySorted: false), nullable: true),
        ],
        [0, 1, 2, 3, 4, 5],
        UnionMode.Dense);

    public static readonly Schema Schema = new(
        [new Field("info_name", UInt32Type.Default, nullable: false), new Field("value", ValueType, nullable: false)],
        null);

    /// <summary>The facts asked for (every one when <paramref name="requested"/> is empty; ids it does not know are left out), by id.</summary>
    public static RecordBatch Batch(IReadOnlyCollection<uint> requested, string version, TimeSpan statementTimeout)
    {
        var facts = new List<(uint Name, object Value)>
        {
            (ServerName, "Scripting"),
            (ServerVersion, version),
            (ServerArrowVersion, "1.3"), // the Arrow format's version (Schema.fbs), as InfluxDB 3 answers
            (ServerReadOnly, true),
            (ServerSql, true),
            (ServerSubstrait, false),
            (ServerTransaction, 0), // SQL_SUPPORTED_TRANSACTION_NONE
            (ServerCancel, false),
            (ServerStatementTimeout, (int)Math.Min(int.MaxValue, statementTimeout.TotalMilliseconds)),
            (DdlCatalog, false),
            (DdlSchema, false),
            (DdlTable, false),
            (IdentifierCase, 3), // SQL_CASE_SENSITIVITY_LOWERCASE: unquoted names fold to lower case
            (IdentifierQuoteChar, "\""),
            (QuotedIdentifierCase, 1), // SQL_CASE_SENSITIVITY_CASE_INSENSITIVE, as InfluxDB 3 answers
            (AllTablesAreSelectable, true),
            (NullOrdering, 0), // SQL_NULLS_SORTED_HIGH: NULL sorts as the largest value
            (SearchStringEscape, "\\"),
            (ExtraNameCharacters, string.Empty),
            (SupportsColumnAliasing, true),
            (NullPlusNullIsNull, true),
            (SupportsExpressionsInOrderBy, true),
            (SupportsOrderByUnrelated, true),
            (SupportsLikeEscapeClause, true),
            (SupportsNonNullableColumns, true),
            (SchemaTerm, "schema"),
            (ProcedureTerm, "procedure"),
            (CatalogAtStart, false),
            (SelectForUpdateSupported, false),
        };
        var selected = requested.Count == 0 ? facts : [.. facts.Where(f => requested.Contains(f.Name))];

        var names = new UInt32Array.Builder();
        var strings = new StringArray.Builder();
        var bools = new BooleanArray.Builder();
        var bigints = new Int64Array.Builder();
        var ints = new Int32Array.Builder();
        var slots = new List<sbyte>();
        var offsets = new List<int>();
        foreach (var (name, value) in selected)
        {
            names.Append(name);
            switch (value)
            {
                case string text:
                    slots.Add(StringSlot);
                    offsets.Add(strings.Length);
                    strings.Append(text);
                    break;
                case bool flag:
                    slots.Add(BoolSlot);
                    offsets.Add(bools.Length);
                    bools.Append(flag);
                    break;
                case long number:
                    slots.Add(BigIntSlot);
                    offsets.Add(bigints.Length);
                    bigints.Append(number);
                    break;
                case int number:
                    slots.Add(Int32Slot);
                    offsets.Add(ints.Length);
                    ints.Append(number);
                    break;
            }
        }

        var children = new IArrowArray[]
        {
            strings.Build(), bools.Build(), bigints.Build(), ints.Build(),
            new ListArray.Builder(ListItem).Build(),
            new MapArray.Builder((MapType)ValueType.Fields[5].DataType).Build(),
        };
        var typeIds = new ArrowBuffer.Builder<sbyte>().AppendRange(slots).Build();
        var valueOffsets = new ArrowBuffer.Builder<int>().AppendRange(offsets).Build();
        var values = new DenseUnionArray(ValueType, selected.Count, children, typeIds, valueOffsets);
        return new RecordBatch(Schema, [names.Build(), values], selected.Count);
    }
}

using Apache.Arrow;
using Apache.Arrow.Types;

namespace Scripting.Flight;

/// <summary>A batch of no rows in a given schema: the keep-alive a long query's stream sends while it has nothing else.</summary>
internal static class EmptyBatches
{
    /// <summary>The empty batch, or null for a schema with a type it cannot build (the stream then goes without keep-alives).</summary>
    public static RecordBatch? For(Schema schema)
    {
        var arrays = new List<IArrowArray>(schema.FieldsList.Count);
        foreach (var field in schema.FieldsList)
        {
            if (Data(field.DataType) is not { } data)
            {
                return null;
            }

            arrays.Add(ArrowArrayFactory.BuildArray(data));
        }

        return new RecordBatch(schema, arrays, 0);
    }

    private static ArrayData? Data(IArrowType type) => type switch
    {
        StringType or BinaryType => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, Offsets(), ArrowBuffer.Empty], []),
        FixedWidthType => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.Empty], []),
        ListType list => Data(list.ValueDataType) is { } items ? new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, Offsets()], [items]) : null,
        StructType structure => Children(structure.Fields) is { } children ? new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty], children) : null,
        _ => null,
    };

    private static ArrayData[]? Children(IReadOnlyList<Field> fields)
    {
        var children = new ArrayData[fields.Count];
        for (var i = 0; i < children.Length; i++)
        {
            if (Data(fields[i].DataType) is not { } child)
            {
                return null;
            }

            children[i] = child;
        }

        return children;
    }

    private static ArrowBuffer Offsets() => new ArrowBuffer.Builder<int>().Append(0).Build();
}

using System.Text;
using DuckDBConnection = DuckDB.NET.Data.DuckDBConnection;
using DuckDB.NET.Native;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// DuckDB's Appender fed whole data chunks. Problem: DuckDB.NET's row appender costs about 80 ns per
/// value, which made appending the largest serial cost of ingest. Design: values are written straight
/// into the chunk's column vectors (fixed-width values by pointer, strings through DuckDB's string
/// assignment, nulls in the validity mask) and each full chunk of 2,048 rows is handed to
/// <c>duckdb_append_data_chunk</c>. The appender runs inside the caller's transaction like any other.
/// Not thread-safe: one per table per group commit, on the writer connection.
/// </summary>
internal sealed unsafe class ChunkAppender : IDisposable
{
    private readonly DuckDBAppender _appender;
    private readonly DuckDBLogicalType[] _types;
    private readonly DuckDBDataChunk _chunk;
    private readonly IntPtr[] _vectors;
    private readonly void*[] _data;
    private readonly ulong*[] _validity;
    private readonly int _capacity;
    private byte[] _utf8 = new byte[256];
    private int _rows;

    public ChunkAppender(DuckDBConnection connection, string? schema, string table)
    {
        if (NativeMethods.Appender.DuckDBAppenderCreate(connection.NativeConnection, schema, table, out _appender) == DuckDBState.Error)
        {
            var message = ErrorOf(_appender);
            _appender.Dispose();
            throw new InvalidOperationException($"could not open an appender on {schema}.{table}: {message}");
        }

        var columns = (int)NativeMethods.Appender.DuckDBAppenderColumnCount(_appender);
        _types = new DuckDBLogicalType[columns];
        var handles = new IntPtr[columns];
        for (var i = 0; i < columns; i++)
        {
            _types[i] = NativeMethods.Appender.DuckDBAppenderColumnType(_appender, (ulong)i);
            handles[i] = _types[i].DangerousGetHandle();
        }

        _chunk = NativeMethods.DataChunks.DuckDBCreateDataChunk(handles, (ulong)columns);
        _capacity = (int)NativeMethods.Helpers.DuckDBVectorSize();
        _vectors = new IntPtr[columns];
        _data = new void*[columns];
        _validity = new ulong*[columns];
        LoadVectors();
    }

    public void SetInt64(int column, long value) => ((long*)_data[column])[_rows] = value;

    public void SetUInt64(int column, ulong value) => ((ulong*)_data[column])[_rows] = value;

    public void SetDouble(int column, double value) => ((double*)_data[column])[_rows] = value;

    public void SetBoolean(int column, bool value) => ((byte*)_data[column])[_rows] = value ? (byte)1 : (byte)0;

    public void SetString(int column, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(value, _utf8);
        fixed (byte* text = _utf8)
        {
            NativeMethods.Vectors.DuckDBVectorAssignStringElementLength(_vectors[column], (ulong)_rows, text, written);
        }
    }

    public void SetNull(int column)
    {
        var validity = _validity[column];
        if (validity == null)
        {
            NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[column]);
            validity = _validity[column] = NativeMethods.Vectors.DuckDBVectorGetValidity(_vectors[column]);
        }

        validity[_rows >> 6] &= ~(1UL << (_rows & 63));
    }

    public void EndRow()
    {
        if (++_rows == _capacity)
        {
            Flush();
        }
    }

    /// <summary>Appends what is buffered and closes the appender, which hands its rows to the transaction.</summary>
    public void Close()
    {
        Flush();
        if (NativeMethods.Appender.DuckDBAppenderClose(_appender) == DuckDBState.Error)
        {
            throw new InvalidOperationException($"appending failed: {ErrorOf(_appender)}");
        }
    }

    private void Flush()
    {
        if (_rows == 0)
        {
            return;
        }

        NativeMethods.DataChunks.DuckDBDataChunkSetSize(_chunk, (ulong)_rows);
        if (NativeMethods.Appender.DuckDBAppendDataChunk(_appender, _chunk) == DuckDBState.Error)
        {
            throw new InvalidOperationException($"appending failed: {ErrorOf(_appender)}");
        }

        NativeMethods.DataChunks.DuckDBDataChunkReset(_chunk);
        _rows = 0;
        LoadVectors();
    }

    private void LoadVectors()
    {
        for (var i = 0; i < _vectors.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk, i);
            _data[i] = NativeMethods.Vectors.DuckDBVectorGetData(_vectors[i]);
            _validity[i] = null;
        }
    }

    private static string ErrorOf(DuckDBAppender appender)
    {
        using var error = NativeMethods.Appender.DuckDBAppenderErrorData(appender);
        return NativeMethods.ErrorData.DuckDBErrorDataMessage(error);
    }

    public void Dispose()
    {
        _chunk.Dispose();
        _appender.Dispose();
        foreach (var type in _types)
        {
            type.Dispose();
        }
    }
}

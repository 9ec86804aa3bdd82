using System.Numerics;
using DuckDB.NET.Data;
using Scripting.Core.Errors;
using Scripting.Core.Queries;
using Scripting.Storage.Sql;

namespace Scripting.Storage.DuckDb;

internal sealed partial class DatabaseStore
{
    public QueryResult Query(string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var translated = SqlTranslator.Translate(sql, _systemTables?.Names, out var systemTables);
        return WithReader(connection =>
        {
            MaterializeSystemTables(connection, systemTables);
            // DuckDB.NET reads TIMESTAMP_NS at 100 ns resolution; selecting epoch_ns() instead keeps
            // every nanosecond, so such columns are found first and converted in the query itself.
            var exact = TimestampNsColumns(connection, translated, parameters);
            if (exact.Count > 0)
            {
                var replace = string.Join(", ", exact.Select(c => $"epoch_ns({SqlNames.Quote(c)}) AS {SqlNames.Quote(c)}"));
                try
                {
                    return Read(connection, $"SELECT * REPLACE ({replace}) FROM ({translated})", parameters, exact, cancellationToken);
                }
                catch (DuckDBException)
                {
                    // Duplicate output names cannot be replaced; fall back to the query as written.
                }
            }

            return Read(connection, translated, parameters, [], cancellationToken);
        });
    }

    public void ExportParquet(string sql, IReadOnlyDictionary<string, object?> parameters, string path)
    {
        var translated = SqlTranslator.Translate(sql, _systemTables?.Names, out var systemTables);
        WithReader(connection =>
        {
            MaterializeSystemTables(connection, systemTables);
            using var command = Command(connection, $"COPY ({translated}) TO {SqlNames.Literal(path)} (FORMAT parquet)", parameters);
            command.ExecuteNonQuery();
            return 0;
        });
    }

    /// <summary>Fills a temp table per system table the query reads, on this reader connection.</summary>
    private void MaterializeSystemTables(DuckDBConnection connection, List<string> names)
    {
        foreach (var name in names)
        {
            var table = _systemTables!.Read(name, Name)!;
            var temp = "__system_" + name;
            using (var create = connection.CreateCommand())
            {
                var columns = string.Join(", ", table.Columns.Select(c => $"{SqlNames.Quote(c.Name)} {SqlType(c.Type)}"));
                create.CommandText = $"CREATE OR REPLACE TEMP TABLE {SqlNames.Quote(temp)} ({columns})";
                create.ExecuteNonQuery();
            }

            using var appender = connection.CreateAppender("temp", "main", temp);
            foreach (var row in table.Rows)
            {
                var appended = appender.CreateRow();
                for (var i = 0; i < row.Length; i++)
                {
                    appended = row[i] switch
                    {
                        null => appended.AppendNullValue(),
                        string text => appended.AppendValue(text),
                        bool flag => appended.AppendValue((bool?)flag),
                        long number when table.Columns[i].Type == QueryColumnType.Timestamp => appended.AppendValue((DateTime?)DateTime.UnixEpoch.AddTicks(number / 100)),
                        long number => appended.AppendValue((long?)number),
                        double number => appended.AppendValue((double?)number),
                        var other => appended.AppendValue(other.ToString()),
                    };
                }

                appended.EndRow();
            }
        }
    }

    private static string SqlType(QueryColumnType type) => type switch
    {
        QueryColumnType.Timestamp => "TIMESTAMP",
        QueryColumnType.Integer => "BIGINT",
        QueryColumnType.UInteger => "UBIGINT",
        QueryColumnType.Float => "DOUBLE",
        QueryColumnType.Boolean => "BOOLEAN",
        _ => "VARCHAR",
    };

    private T WithReader<T>(Func<DuckDBConnection, T> action)
    {
        if (!_readers.TryTake(out var connection))
        {
            connection = _inMemory ? _writer.Duplicate() : new DuckDBConnection(_connectionString);
            connection.Open();
            using var setup = connection.CreateCommand();
            setup.CommandText = $"""
                SET TimeZone = 'UTC';
                SET search_path = '{SqlNames.TableSchema},main';
                CREATE TEMP MACRO date_bin(stride, source, origin := TIMESTAMP '1970-01-01 00:00:00') AS time_bucket(stride, source::TIMESTAMP, origin::TIMESTAMP);
                """;
            setup.ExecuteNonQuery();
        }

        try
        {
            return action(connection);
        }
        catch (DuckDBException error)
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"error while planning or running the query: {error.Message}");
        }
        finally
        {
            _readers.Add(connection);
        }
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        }

        return command;
    }

    private static List<string> TimestampNsColumns(DuckDBConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        try
        {
            using var command = Command(connection, "DESCRIBE " + sql, parameters);
            using var reader = command.ExecuteReader();
            var columns = new List<string>();
            while (reader.Read())
            {
                if (reader.GetString(1) == "TIMESTAMP_NS")
                {
                    columns.Add(reader.GetString(0));
                }
            }

            return columns;
        }
        catch (DuckDBException)
        {
            return [];
        }
    }

    private static QueryResult Read(DuckDBConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, List<string> epochColumns, CancellationToken cancellationToken)
    {
        using var command = Command(connection, sql, parameters);
        using var registration = cancellationToken.Register(() => command.Cancel());
        using var reader = command.ExecuteReader();
        var columns = new QueryColumn[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            var name = reader.GetName(i);
            var type = epochColumns.Contains(name) ? QueryColumnType.Timestamp : Map(reader.GetFieldType(i));
            columns[i] = new QueryColumn(name, type);
        }

        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert(reader.GetValue(i), columns[i].Type);
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows);
    }

    private static QueryColumnType Map(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.DateTime => QueryColumnType.Timestamp,
        TypeCode.Int64 or TypeCode.Int32 or TypeCode.Int16 or TypeCode.SByte => QueryColumnType.Integer,
        TypeCode.UInt64 or TypeCode.UInt32 or TypeCode.UInt16 or TypeCode.Byte => QueryColumnType.UInteger,
        TypeCode.Double or TypeCode.Single or TypeCode.Decimal => QueryColumnType.Float,
        TypeCode.String => QueryColumnType.String,
        TypeCode.Boolean => QueryColumnType.Boolean,
        _ when type == typeof(DateTimeOffset) => QueryColumnType.Timestamp,
        _ when type == typeof(BigInteger) => QueryColumnType.Integer,
        _ => QueryColumnType.Other,
    };

    private static object? Convert(object value, QueryColumnType type) => type switch
    {
        QueryColumnType.Timestamp => value switch
        {
            long nanoseconds => nanoseconds,
            DateTime dateTime => (dateTime.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) * 100,
            DateTimeOffset offset => (offset.UtcTicks - DateTime.UnixEpoch.Ticks) * 100,
            _ => value,
        },
        QueryColumnType.Integer => value switch
        {
            BigInteger big when big >= long.MinValue && big <= long.MaxValue => (object)(long)big,
            BigInteger big => (object)(double)big,
            _ => (object)System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        },
        QueryColumnType.UInteger => value is BigInteger big
            ? (big <= ulong.MaxValue ? (object)(ulong)big : (object)(double)big)
            : System.Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        QueryColumnType.Float => System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        QueryColumnType.Other => value.ToString(),
        _ => value,
    };
}

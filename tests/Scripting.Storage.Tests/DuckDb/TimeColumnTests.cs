using DuckDB.NET.Data;
using Scripting.Core.Catalog;
using Scripting.Core.LineProtocol;
using Scripting.Core.Writes;
using Scripting.Storage.Catalog;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

/// <summary><c>time</c> is stored typed, so conditions on it skip data by row group; older files are converted at open.</summary>
public sealed class TimeColumnTests : IDisposable
{
    private readonly string _directory = TempDirectory.NewPath("time");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string StoredTimeType(string file)
    {
        using var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data_type FROM information_schema.columns WHERE table_schema = 'store' AND table_name = 'm' AND column_name = 'time'";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task NewTable_StoresTimeAsANanosecondTimestamp()
    {
        var catalog = new SchemaCatalog(new JsonCatalogPersistence(_directory));
        await using (var storage = new DuckDbStorage(catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory))
        {
            var write = WriteValidator.Validate(catalog, "db", new LineProtocolParser().Parse("m,host=a v=1i 1742198400123456789", Precision.Nanosecond, 0), true);
            await storage.WriteAsync(write, new WriteOptions());
        }

        StoredTimeType(Path.Combine(_directory, "db.duckdb")).ShouldBe("TIMESTAMP_NS");
    }

    [Fact]
    public async Task FileWithBigintTime_IsConvertedAtOpen_KeepingEveryNanosecond()
    {
        var catalog = new SchemaCatalog(new JsonCatalogPersistence(_directory));
        catalog.CreateDatabase("db");
        catalog.CreateTable("db", "m", ["host"], [new ColumnDefinition("v", ColumnType.Integer)]);
        var file = Path.Combine(_directory, "db.duckdb");
        using (var old = new DuckDBConnection($"Data Source={file}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE SCHEMA store; CREATE SCHEMA iox;
                CREATE TABLE store.m (time BIGINT NOT NULL, host VARCHAR, v BIGINT);
                INSERT INTO store.m VALUES (1742198400123456789, 'a', 7);
                CREATE VIEW iox.m AS SELECT host, make_timestamp_ns(time) AS time, v FROM store.m;
                """;
            command.ExecuteNonQuery();
        }

        await using (var storage = new DuckDbStorage(catalog, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables(), _directory))
        {
            var write = WriteValidator.Validate(catalog, "db", new LineProtocolParser().Parse("m,host=b v=8i 1742198400000000001", Precision.Nanosecond, 0), true);
            await storage.WriteAsync(write, new WriteOptions());
        }

        StoredTimeType(file).ShouldBe("TIMESTAMP_NS");
        using var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT string_agg(epoch_ns(time)::VARCHAR || ':' || v, ',' ORDER BY v) FROM iox.m";
        read.ExecuteScalar().ShouldBe("1742198400123456789:7,1742198400000000001:8");
    }
}

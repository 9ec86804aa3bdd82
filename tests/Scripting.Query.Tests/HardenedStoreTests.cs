using Scripting.Core.Queries;

namespace Scripting.Query.Tests;

/// <summary>
/// The store under the layer, sent statements the layer would refuse (as if its check were bypassed):
/// none reaches a file, changes a setting, leaves an object behind or changes stored data.
/// </summary>
public sealed class HardenedStoreTests : IAsyncLifetime
{
    private readonly QueryStore _store = new();

    public async Task InitializeAsync()
    {
        await _store.WriteAsync("db", "home,room=Kitchen temp=21.0 1742198400\nhome,room=Living temp=22.5 1742202000");
        await _store.WriteAsync("victim", "m,host=a v=1i 1742198400");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>Runs <paramref name="sql"/> straight on the store; returns its error, or null when it ran.</summary>
    private Exception? Bypass(string sql)
    {
        try
        {
            using var stream = _store.Storage.Execute("db", new CheckedStatement(sql, new Dictionary<string, object?>(), []), CancellationToken.None);
            while (stream.ReadNext() is { } batch)
            {
                batch.Dispose();
            }

            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }

    private async Task<long> HomeRowsAsync() => (long)(await _store.QueryAsync("db", "select count(*) from home")).Rows[0][0]!;

    [Theory]
    [InlineData("select * from read_csv('/etc/passwd')")]
    [InlineData("select * from read_text('/etc/hostname')")]
    [InlineData("select * from read_blob('/etc/hostname')")]
    [InlineData("select * from glob('/*')")]
    [InlineData("select * from '/etc/passwd'")]
    [InlineData("select getenv('HOME')")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    public void Bypass_FileEnvironmentAndExtensionAccess_Fails(string sql) =>
        Bypass(sql).ShouldNotBeNull($"{sql} ran on the store");

    [Fact]
    public async Task Bypass_AttachOfAnotherDatabaseFile_Fails_AndItsRowsStay()
    {
        var victim = Path.Combine(_store.Directory, "victim.duckdb");

        Bypass($"ATTACH '{victim}' AS v").ShouldNotBeNull();
        Bypass($"ATTACH '{Path.Combine(_store.Directory, "new.duckdb")}' AS n").ShouldNotBeNull();

        File.Exists(Path.Combine(_store.Directory, "new.duckdb")).ShouldBeFalse();
        (await _store.QueryAsync("victim", "select count(*) from m")).Rows[0][0].ShouldBe(1L);
    }

    [Fact]
    public void Bypass_WritingFiles_FailsAndWritesNothing()
    {
        var target = Path.Combine(_store.Directory, "out.csv");
        var exported = Path.Combine(_store.Directory, "export");

        Bypass($"COPY (select 1) TO '{target}'").ShouldNotBeNull();
        Bypass($"EXPORT DATABASE '{exported}'").ShouldNotBeNull();
        Bypass($"COPY (select 1) TO '{Path.Combine(_store.Directory, "catalog.json")}' (FORMAT csv)").ShouldNotBeNull();

        File.Exists(target).ShouldBeFalse();
        Directory.Exists(exported).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_store.Directory, "catalog.json")).ShouldContain("\"home\"");
    }

    [Theory]
    [InlineData("SET memory_limit = '1MB'")]
    [InlineData("SET GLOBAL enable_external_access = true")]
    [InlineData("SET lock_configuration = false")]
    [InlineData("RESET memory_limit")]
    [InlineData("PRAGMA memory_limit = '1MB'")]
    public void Bypass_ChangingASetting_Fails(string sql) =>
        Bypass(sql).ShouldNotBeNull();

    [Fact]
    public async Task Bypass_ChangesToDataAndSchema_AreRolledBack()
    {
        Bypass("INSERT INTO store.home VALUES (1, 'x', 1.0)");
        Bypass("DELETE FROM store.home");
        Bypass("UPDATE store.home SET temp = 0");
        Bypass("DROP VIEW iox.home");
        Bypass("DROP TABLE store.home");
        Bypass("CREATE TABLE main.planted AS SELECT 1 AS x");

        (await HomeRowsAsync()).ShouldBe(2);
        (await _store.QueryAsync("db", "select min(temp) from home")).Rows[0][0].ShouldBe(21.0);
        Bypass("select * from main.planted").ShouldNotBeNull("the table created by a bypassing statement is gone");
    }

    [Fact]
    public async Task Bypass_TempObjectsAndSearchPath_DoNotChangeLaterAnswers()
    {
        // Every reader connection of the pool gets the attempt, so a later query meets one of them.
        for (var i = 0; i < 4; i++)
        {
            Bypass("CREATE TEMP VIEW home AS SELECT 99 AS forged");
            Bypass("CREATE OR REPLACE TEMP MACRO date_bin(a, b) AS 42");
            Bypass("SET search_path = 'main'");
        }

        (await HomeRowsAsync()).ShouldBe(2);
        var binned = await _store.QueryAsync("db", "select date_bin(interval '1 hour', time) as h from home order by h limit 1");
        binned.Rows[0][0].ShouldBe(1742198400L * 1_000_000_000);
        Bypass("select * from temp.main.home").ShouldNotBeNull("the temp view was rolled back");
    }

    [Fact]
    public void Bypass_CheckpointOrTransactionControl_DoesNotBreakTheStore()
    {
        Bypass("CHECKPOINT");
        Bypass("COMMIT");
        Bypass("ROLLBACK");

        _store.Storage.Fault.ShouldBeNull();
    }
}

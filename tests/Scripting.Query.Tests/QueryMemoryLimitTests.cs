using Scripting.Core.Errors;

namespace Scripting.Query.Tests;

public sealed class QueryMemoryLimitTests
{
    [Fact]
    public async Task QueryOverTheMemoryLimit_FailsWithTheLimitNamed_AndTheStoreGoesOn()
    {
        await using var store = new QueryStore(memoryLimit: 64L * 1024 * 1024);
        await store.WriteAsync("db", "m,host=a v=1i 1742198400");

        var error = await Should.ThrowAsync<ScriptingException>(() => store.QueryAsync("db", "select length(list(range)) from range(100000000)"));
        var after = await store.QueryAsync("db", "select count(*) from m");
        await store.WriteAsync("db", "m,host=b v=2i 1742198401");

        error.Kind.ShouldBe(ErrorKind.BadRequest);
        error.Message.ShouldBe("query stopped: it needs more memory than the query memory limit of 64 MiB (--query-memory-limit); narrow its time range or aggregate more");
        after.Rows[0][0].ShouldBe(1L);
        (await store.QueryAsync("db", "select count(*) from m")).Rows[0][0].ShouldBe(2L);
        store.Storage.Fault.ShouldBeNull();
    }
}

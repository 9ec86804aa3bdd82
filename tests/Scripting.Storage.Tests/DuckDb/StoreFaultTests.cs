using Microsoft.Extensions.Logging.Abstractions;
using Scripting.Core.Errors;
using Scripting.Storage.DuckDb;

namespace Scripting.Storage.Tests.DuckDb;

/// <summary>
/// A store that DuckDB has invalidated (after a fatal error every statement fails until a restart) says so,
/// for /health, instead of answering OK. No statement can invalidate a hardened store, so the failure is
/// handed to the store as DuckDB reports it.
/// </summary>
public sealed class StoreFaultTests
{
    [Fact]
    public async Task InvalidatedStore_IsReportedAsAFault_AndQueriesSayItNeedsARestart()
    {
        await using var store = new DatabaseStore("db", "Data Source=:memory:", [], NullLogger.Instance, new Core.Writes.WriteNotifier(), new Core.Queries.SystemTables());
        store.Probe().ShouldBeNull();

        var error = store.Translate(new InvalidOperationException("FATAL Error: Failed: database has been invalidated because of a previous fatal error."), CancellationToken.None);

        var reported = error.ShouldBeOfType<ScriptingException>();
        reported.Kind.ShouldBe(ErrorKind.Unavailable);
        reported.Message.ShouldStartWith("database 'db' cannot be read: its store failed and needs a restart (");
        store.Probe().ShouldBe(reported.Message);
    }
}

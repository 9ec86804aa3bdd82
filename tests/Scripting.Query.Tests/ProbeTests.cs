namespace Scripting.Query.Tests;

public sealed class ProbeTests
{
    [Fact]
    public async Task Probe()
    {
        await using var store = new QueryStore();
        await store.WriteAsync("db", "t,k=a v=1i,f=1.5 1000000000");
        await store.WriteAsync("db", File.ReadAllText("/tmp/probe.lp"));
        var lines = new List<string>();
        foreach (var sql in File.ReadAllLines("/tmp/probe.sql"))
        {
            try
            {
                lines.Add(sql + "\n  => " + store.Layer.Plan("db", sql, new Dictionary<string, object?>()).Statement.Sql);
                var result = await store.QueryAsync("db", sql);
                lines.Add("  [" + string.Join(", ", result.Columns.Select(c => c.Name)) + "] " + string.Join(" ; ", result.Rows.Select(r => string.Join(" | ", r.Select(v => v?.ToString() ?? "NULL")))));
            }
            catch (Exception e)
            {
                lines.Add("  ERR " + e.Message);
            }
        }

        File.WriteAllLines("/tmp/probe.out", lines);
    }
}

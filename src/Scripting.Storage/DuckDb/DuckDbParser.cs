using System.Collections.Concurrent;
using DuckDB.NET.Data;

namespace Scripting.Storage.DuckDb;

/// <summary>
/// DuckDB's own SQL parser, reached through <c>json_serialize_sql</c> / <c>json_deserialize_sql</c> on an
/// empty in-memory instance that holds no data and has no file access. Parsing with the executor's own
/// grammar means the query layer checks exactly the tree that will run: what it renders from that tree is
/// what executes, never the user's text.
/// </summary>
internal sealed class DuckDbParser : IDisposable
{
    private readonly DuckDBConnection _root;
    private readonly ConcurrentBag<DuckDBConnection> _connections = [];

    public DuckDbParser()
    {
        _root = new DuckDBConnection("Data Source=:memory:");
        _root.Open();
        Hardening.Apply(_root, 64L * 1024 * 1024, null);
    }

    public string Parse(string sql) => Call("SELECT json_serialize_sql($sql::VARCHAR)", sql);

    public string Render(string tree) => Call("SELECT json_deserialize_sql($sql::JSON)", tree);

    private string Call(string function, string argument)
    {
        if (!_connections.TryTake(out var connection))
        {
            connection = _root.Duplicate();
            connection.Open();
        }

        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = function;
            command.Parameters.Add(new DuckDBParameter("sql", argument));
            return (string)command.ExecuteScalar()!;
        }
        finally
        {
            _connections.Add(connection);
        }
    }

    public void Dispose()
    {
        while (_connections.TryTake(out var connection))
        {
            connection.Dispose();
        }

        _root.Dispose();
    }
}

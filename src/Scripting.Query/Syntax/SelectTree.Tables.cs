using System.Text.Json.Nodes;
using Scripting.Core.Errors;
using Scripting.Core.Queries;

namespace Scripting.Query.Syntax;

/// <summary>Table references: what a name in FROM may resolve to, and the stored name it is given.</summary>
internal sealed partial class SelectTree
{
    private void Resolve(JsonObject table, Scope scope)
    {
        if (table["at_clause"] is JsonObject)
        {
            throw Refuse("AT (time travel) is not supported: a query reads the current data");
        }

        var catalog = Text(table, "catalog_name");
        var schema = Text(table, "schema_name");
        var name = Text(table, "table_name");
        var shown = string.Join('.', new[] { catalog, schema, name }.Where(p => p.Length > 0));
        if (catalog.Length == 0 && schema.Length == 0 && scope.Contains(name))
        {
            return;
        }

        if (catalog.Length > 0 && !catalog.Equals("public", StringComparison.OrdinalIgnoreCase))
        {
            throw TableNotFound(shown);
        }

        if (schema.Length == 0 || schema.Equals("iox", StringComparison.OrdinalIgnoreCase))
        {
            var stored = FindTable(name) ?? throw TableNotFound(shown.Contains('.', StringComparison.Ordinal) ? shown : $"public.iox.{name}");
            Rename(table, string.Empty, QuerySchemas.Tables, stored);
        }
        else if (schema.Equals("system", StringComparison.OrdinalIgnoreCase) && _systemTables.Contains(name))
        {
            var lower = name.ToLowerInvariant();
            if (!_usedSystemTables.Contains(lower))
            {
                _usedSystemTables.Add(lower);
            }

            Rename(table, "temp", "main", QuerySchemas.SystemTable(lower));
        }
        else if (schema.Equals("information_schema", StringComparison.OrdinalIgnoreCase) && InformationSchemaTables.Contains(name))
        {
            var view = InformationSchema.Hidden(name);
            if (!_usedSystemTables.Contains(view))
            {
                _usedSystemTables.Add(view);
            }

            Rename(table, "temp", "main", QuerySchemas.SystemTable(view));
        }
        else
        {
            throw TableNotFound(shown);
        }
    }

    private string? FindTable(string name)
    {
        if (_database.Tables.ContainsKey(name))
        {
            return name;
        }

        var matches = _database.Tables.Keys.Where(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static void Rename(JsonObject table, string catalog, string schema, string name)
    {
        table["catalog_name"] = catalog;
        table["schema_name"] = schema;
        table["table_name"] = name;
    }

    private static ScriptingException TableNotFound(string name) => new(ErrorKind.BadRequest, $"Error during planning: table '{name}' not found");
}

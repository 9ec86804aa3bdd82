namespace Scripting.Cli.Commands;

/// <summary>
/// What <c>scripting create plugin</c> writes: a plugin of each language and trigger kind that runs as it
/// is, with the entry point's full signature and a short example of logging, writing and querying.
/// </summary>
internal static class PluginTemplates
{
    public static readonly string[] Languages = ["python", "csharp"];
    public static readonly string[] Kinds = ["writes", "schedule", "request"];

    public static string Extension(string language) => language == "python" ? ".py" : ".csx";

    /// <summary>The trigger specification the printed example uses for <paramref name="kind"/>.</summary>
    public static string ExampleSpecification(string kind, string name) => kind switch
    {
        "writes" => "all_tables",
        "schedule" => "every:10s",
        _ => $"request:{name}",
    };

    public static string For(string language, string kind, string name) => (language, kind) switch
    {
        ("python", "writes") => $$"""
            # {{name}}: runs on every write to the trigger's database (trigger spec table:NAME or all_tables).
            from typing import TYPE_CHECKING, Optional

            if TYPE_CHECKING:  # types for editors; see influxdb3_plugin.pyi beside this file
                from influxdb3_plugin import InfluxDB3Local, TableBatch


            def process_writes(influxdb3_local: "InfluxDB3Local", table_batches: "list[TableBatch]", args: Optional[dict] = None):
                target = (args or {}).get("target_table", "{{name}}_counts")
                for batch in table_batches:
                    if batch["table_name"] == target:
                        continue  # skip this plugin's own output
                    influxdb3_local.info(f"{len(batch['rows'])} rows written to {batch['table_name']}")
                    influxdb3_local.write(LineBuilder(target).tag("table", batch["table_name"]).int64_field("rows", len(batch["rows"])))

                tables = influxdb3_local.query("SHOW TABLES")
                influxdb3_local.info(f"the database has {len(tables)} tables")
            """,
        ("python", "schedule") => $$"""
            # {{name}}: runs on a schedule (trigger spec every:10s, or cron:0 * * * * *).
            from typing import TYPE_CHECKING, Optional
            from datetime import datetime

            if TYPE_CHECKING:  # types for editors; see influxdb3_plugin.pyi beside this file
                from influxdb3_plugin import InfluxDB3Local


            def process_scheduled_call(influxdb3_local: "InfluxDB3Local", call_time: datetime, args: Optional[dict] = None):
                runs = influxdb3_local.cache.get("runs", 0) + 1
                influxdb3_local.cache.put("runs", runs)
                influxdb3_local.info(f"run {runs}, scheduled for {call_time.isoformat()}")
                influxdb3_local.write(LineBuilder("{{name}}_runs").int64_field("run", runs).time_ns(int(call_time.timestamp()) * 1_000_000_000))

                tables = influxdb3_local.query("SHOW TABLES")
                influxdb3_local.info(f"the database has {len(tables)} tables")
            """,
        ("python", _) => $$"""
            # {{name}}: answers GET and POST /api/v3/engine/{{name}} (trigger spec request:{{name}}).
            import json
            from typing import TYPE_CHECKING, Optional

            if TYPE_CHECKING:  # types for editors; see influxdb3_plugin.pyi beside this file
                from influxdb3_plugin import InfluxDB3Local


            def process_request(influxdb3_local: "InfluxDB3Local", query_parameters: dict, request_headers: dict, request_body: bytes, args: Optional[dict] = None):
                body = json.loads(request_body) if request_body else {}
                name = body.get("name") or query_parameters.get("name", "world")
                influxdb3_local.info(f"greeting {name}")
                influxdb3_local.write(LineBuilder("{{name}}_calls").tag("name", name).int64_field("calls", 1))

                try:
                    earlier = influxdb3_local.query('SELECT count(*) AS calls FROM "{{name}}_calls" WHERE name = $name', {"name": name})[0]["calls"]
                except Exception:  # QueryError: the table does not exist before the first call's write lands
                    earlier = 0
                return {"greeting": f"hello, {name}", "earlier_calls": earlier}  # a dict is answered as JSON
            """,
        ("csharp", "writes") => $$"""
            // {{name}}: runs on every write to the trigger's database (trigger spec table:NAME or all_tables).
            #r ".scripting/Scripting.PluginApi.dll" // lets editors resolve the plugin API; the server uses its own
            using System.Collections.Generic;
            using System.Linq;
            using Scripting.PluginApi;

            void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
            {
                var target = args?.GetValueOrDefault("target_table") ?? "{{name}}_counts";
                foreach (var batch in table_batches.Where(b => b.table_name != target)) // skip this plugin's own output
                {
                    influxdb3_local.info($"{batch.rows.Count} rows written to {batch.table_name}");
                    influxdb3_local.write(new LineBuilder(target).tag("table", batch.table_name).int64_field("rows", batch.rows.Count));
                }

                var tables = influxdb3_local.query("SHOW TABLES");
                influxdb3_local.info($"the database has {tables.Count} tables");
            }
            """,
        ("csharp", "schedule") => $$"""
            // {{name}}: runs on a schedule (trigger spec every:10s, or cron:0 * * * * *).
            #r ".scripting/Scripting.PluginApi.dll" // lets editors resolve the plugin API; the server uses its own
            using System;
            using System.Collections.Generic;
            using Scripting.PluginApi;

            void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
            {
                var runs = (long)(influxdb3_local.cache.get("runs", 0L) ?? 0L) + 1;
                influxdb3_local.cache.put("runs", runs);
                influxdb3_local.info($"run {runs}, scheduled for {call_time:O}");
                influxdb3_local.write(new LineBuilder("{{name}}_runs").int64_field("run", runs).time_ns((call_time - DateTime.UnixEpoch).Ticks * 100));

                var tables = influxdb3_local.query("SHOW TABLES");
                influxdb3_local.info($"the database has {tables.Count} tables");
            }
            """,
        _ => $$"""
            // {{name}}: answers GET and POST /api/v3/engine/{{name}} (trigger spec request:{{name}}).
            #r ".scripting/Scripting.PluginApi.dll" // lets editors resolve the plugin API; the server uses its own
            using System.Collections.Generic;
            using System.Text.Json.Nodes;
            using Scripting.PluginApi;

            object process_request(IInfluxDb3Local influxdb3_local, IReadOnlyDictionary<string, string> query_parameters,
                IReadOnlyDictionary<string, string> request_headers, byte[] request_body, IReadOnlyDictionary<string, string>? args)
            {
                var body = request_body.Length > 0 ? JsonNode.Parse(request_body) : null;
                var name = body?["name"]?.GetValue<string>() ?? query_parameters.GetValueOrDefault("name") ?? "world";
                influxdb3_local.info($"greeting {name}");
                influxdb3_local.write(new LineBuilder("{{name}}_calls").tag("name", name).int64_field("calls", 1));

                object? earlier = 0L;
                try
                {
                    earlier = influxdb3_local.query("SELECT count(*) AS calls FROM \"{{name}}_calls\" WHERE name = $name", new Dictionary<string, string> { ["name"] = name })[0]["calls"];
                }
                catch (QueryError)
                {
                    // the table does not exist before the first call's write lands
                }

                return new Dictionary<string, object?> { ["greeting"] = $"hello, {name}", ["earlier_calls"] = earlier }; // answered as JSON
            }
            """,
    };
}

using Scripting.Core.Plugins;

namespace Scripting.Python;

/// <summary>
/// What <c>scripting create plugin --language python</c> writes: a plugin per entry point that runs as it
/// is, and the type stubs of <c>influxdb3_local</c> and of the names the engine injects, so editors check the API.
/// </summary>
internal sealed class PythonAuthoring : IPluginAuthoring
{
    private static readonly string[] Stubs = ["influxdb3_plugin.pyi", "__builtins__.pyi"];

    public PluginLanguage Language => PythonRuntime.Conventions;

    public string Template(EntryPoints entryPoint, string name) => entryPoint switch
    {
        EntryPoints.ProcessWrites => $$"""
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
        EntryPoints.ProcessScheduledCall => $$"""
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
        EntryPoints.ProcessRequest => $$"""
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
        _ => throw new ArgumentOutOfRangeException(nameof(entryPoint), entryPoint, "a template is written for one entry point"),
    };

    public IEnumerable<(string RelativePath, byte[] Content)> EditorFiles()
    {
        foreach (var stub in Stubs)
        {
            using var resource = typeof(PythonAuthoring).Assembly.GetManifestResourceStream(stub)!;
            using var content = new MemoryStream();
            resource.CopyTo(content);
            yield return (stub, content.ToArray());
        }
    }
}

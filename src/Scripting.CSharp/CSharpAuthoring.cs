using Scripting.Core.Plugins;

namespace Scripting.CSharp;

/// <summary>
/// What <c>scripting create plugin --language csharp</c> writes: a plugin per entry point that runs as it
/// is, and the plugin API assembly (with its documentation) that the template's <c>#r</c> names, so
/// editors complete and check the API.
/// </summary>
internal sealed class CSharpAuthoring : IPluginAuthoring
{
    public PluginLanguage Language => CSharpRuntime.Conventions;

    public string Template(EntryPoints entryPoint, string name) => entryPoint switch
    {
        EntryPoints.ProcessWrites => $$"""
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
        EntryPoints.ProcessScheduledCall => $$"""
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
        EntryPoints.ProcessRequest => $$"""
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
        _ => throw new ArgumentOutOfRangeException(nameof(entryPoint), entryPoint, "a template is written for one entry point"),
    };

    public IEnumerable<(string RelativePath, byte[] Content)> EditorFiles()
    {
        var api = typeof(PluginApi.LineBuilder).Assembly.Location;
        foreach (var source in new[] { api, Path.ChangeExtension(api, ".xml") }.Where(File.Exists))
        {
            yield return ($".scripting/{Path.GetFileName(source)}", File.ReadAllBytes(source));
        }
    }
}

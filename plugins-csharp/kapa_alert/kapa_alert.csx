// Write-triggered alert: when pull requests merge (rows in `gh`), compares the lines changed since the
// Kapa.ai source was last ingested, writes an `integration_status` row, and an `alerts` row above the
// threshold. Port of the seed's Kapa/GitHub alert plugin.
// Trigger: --trigger-spec "table:gh" --trigger-arguments kapa_token=...,project_id=...,kapa_api_url=https://api.kapa.ai
using System.Text.Json.Nodes;

static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

void process_writes(IInfluxDb3Local influxdb3_local, IReadOnlyList<TableBatch> table_batches, IReadOnlyDictionary<string, string>? args)
{
    var sourceName = args?.GetValueOrDefault("source_name") ?? "Documentation";
    var repo = args?.GetValueOrDefault("repo") ?? "influxdata/docs-v2";
    var threshold = int.Parse(args?.GetValueOrDefault("severity_threshold") ?? "100", CultureInfo.InvariantCulture);
    var kapaToken = args?.GetValueOrDefault("kapa_token") ?? "";
    var projectId = args?.GetValueOrDefault("project_id") ?? "";
    var kapaUrl = (args?.GetValueOrDefault("kapa_api_url") ?? "https://api.kapa.ai").TrimEnd('/');

    var hasActivity = table_batches.Any(batch => batch.table_name == "gh" && batch.rows.Any(row =>
        row.GetValueOrDefault("activity_type") as string == "pr_merge" && row.GetValueOrDefault("repo") as string == repo));
    if (!hasActivity) return;
    if (kapaToken.Length == 0 || projectId.Length == 0)
    {
        influxdb3_local.error("Missing required Kapa.ai parameters (kapa_token, project_id)");
        return;
    }

    using var request = new HttpRequestMessage(HttpMethod.Get, $"{kapaUrl}/ingestion/v1/projects/{projectId}/sources/");
    request.Headers.Add("X-API-KEY", kapaToken);
    influxdb3_local.info("Requesting source data from Kapa.ai API");
    using var response = Http.Send(request, influxdb3_local.Cancellation);
    var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
    if (!response.IsSuccessStatusCode)
    {
        influxdb3_local.error($"Kapa API error: {(int)response.StatusCode} - {text}");
        return;
    }

    var source = JsonNode.Parse(text)?["results"]?.AsArray().FirstOrDefault(s => s?["name"]?.GetValue<string>() == sourceName);
    if (source?["ingested_at"]?.GetValue<string>() is not { } ingestedAt)
    {
        influxdb3_local.warn($"Source '{sourceName}' not found in Kapa.ai or has no ingestion timestamp");
        return;
    }

    var ingested = DateTime.Parse(ingestedAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
    var rows = influxdb3_local.query(
        "SELECT SUM(lines) AS total_lines, COUNT(*) AS pr_count FROM gh WHERE repo = $repo AND ref = 'master' AND activity_type = 'pr_merge' AND time > $since",
        new Dictionary<string, string> { ["repo"] = repo, ["since"] = ingested.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) });
    var totalLines = Convert.ToInt64(rows.FirstOrDefault()?["total_lines"] ?? 0L, CultureInfo.InvariantCulture);
    var prCount = Convert.ToInt64(rows.FirstOrDefault()?["pr_count"] ?? 0L, CultureInfo.InvariantCulture);
    if (totalLines == 0) return;

    influxdb3_local.info($"Found {prCount} PRs with {totalLines} lines changed since last ingestion of '{sourceName}'");
    influxdb3_local.write(new LineBuilder("integration_status").tag("repo", repo).tag("source_name", sourceName)
        .int64_field("pr_count", prCount).int64_field("total_lines", totalLines).bool_field("needs_update", true));
    if (totalLines > threshold)
    {
        influxdb3_local.write(new LineBuilder("alerts").tag("repo", repo).tag("source_name", sourceName).tag("severity", "warning")
            .string_field("message", $"{totalLines} lines merged since '{sourceName}' was last ingested").int64_field("total_lines", totalLines));
    }
}

# Write-triggered alert: when pull requests merge (rows in `gh`), compares the lines changed since the
# Kapa.ai source was last ingested, writes an `integration_status` row, and an `alerts` row above the
# threshold. The seed's Kapa/GitHub alert plugin, with the Kapa.ai URL as a trigger argument.
# Trigger: --trigger-spec "table:gh" --trigger-arguments kapa_token=...,project_id=...,kapa_api_url=https://api.kapa.ai
import json
import urllib.error
import urllib.request
from datetime import datetime


def process_writes(influxdb3_local, table_batches, args=None):
    args = args or {}
    source_name = args.get("source_name", "Documentation")
    repo = args.get("repo", "influxdata/docs-v2")
    threshold = int(args.get("severity_threshold", "100"))
    kapa_token = args.get("kapa_token", "")
    project_id = args.get("project_id", "")
    kapa_url = args.get("kapa_api_url", "https://api.kapa.ai").rstrip("/")

    has_activity = any(batch["table_name"] == "gh" and any(
        row.get("activity_type") == "pr_merge" and row.get("repo") == repo for row in batch["rows"]) for batch in table_batches)
    if not has_activity:
        return
    if not kapa_token or not project_id:
        influxdb3_local.error("Missing required Kapa.ai parameters (kapa_token, project_id)")
        return

    request = urllib.request.Request(f"{kapa_url}/ingestion/v1/projects/{project_id}/sources/", headers={"X-API-KEY": kapa_token})
    influxdb3_local.info("Requesting source data from Kapa.ai API")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            sources = json.loads(response.read()).get("results", [])
    except urllib.error.HTTPError as error:
        influxdb3_local.error(f"Kapa API error: {error.code} - {error.read().decode(errors='replace')}")
        return

    source = next((s for s in sources if s.get("name") == source_name), None)
    if not source or not source.get("ingested_at"):
        influxdb3_local.warn(f"Source '{source_name}' not found in Kapa.ai or has no ingestion timestamp")
        return

    ingested = datetime.fromisoformat(source["ingested_at"].replace("Z", "+00:00"))
    rows = influxdb3_local.query(
        "SELECT SUM(lines) AS total_lines, COUNT(*) AS pr_count FROM gh WHERE repo = $repo AND ref = 'master' AND activity_type = 'pr_merge' AND time > $since",
        {"repo": repo, "since": ingested.strftime("%Y-%m-%dT%H:%M:%S.%fZ")})
    total_lines = int((rows[0].get("total_lines") if rows else 0) or 0)
    pr_count = int((rows[0].get("pr_count") if rows else 0) or 0)
    if total_lines == 0:
        return

    influxdb3_local.info(f"Found {pr_count} PRs with {total_lines} lines changed since last ingestion of '{source_name}'")
    influxdb3_local.write(LineBuilder("integration_status").tag("repo", repo).tag("source_name", source_name)
                          .int64_field("pr_count", pr_count).int64_field("total_lines", total_lines).bool_field("needs_update", True))
    if total_lines > threshold:
        influxdb3_local.write(LineBuilder("alerts").tag("repo", repo).tag("source_name", source_name).tag("severity", "warning")
                              .string_field("message", f"{total_lines} lines merged since '{source_name}' was last ingested")
                              .int64_field("total_lines", total_lines))

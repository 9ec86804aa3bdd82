# Scheduled plugin: asks this server's github_prs request endpoint to collect pull requests, on a
# schedule. The seed's github_pr_scheduled.py, with urllib in place of requests (nothing to install).
# Trigger: --trigger-spec "every:1h" --trigger-arguments repo=influxdata/docs-v2,time_period=week,api_host=http://127.0.0.1:8181
import json
import urllib.error
import urllib.request


def process_scheduled_call(influxdb3_local, call_time, args=None):
    args = args or {}
    repo = args.get("repo", "influxdata/docs-v2")
    time_period = args.get("time_period", "week")
    api_host = args.get("api_host", "http://127.0.0.1:8181").rstrip("/")
    token = args.get("github_token")
    influxdb3_local.info(f"Starting GitHub PR data collection at {call_time.isoformat()}")
    influxdb3_local.info(f"Calling github_prs endpoint for {repo} over the last {time_period}...")

    body = {"repo": repo, "time_period": time_period}
    if token:
        body["github_token"] = token
    request = urllib.request.Request(f"{api_host}/api/v3/engine/github_prs", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    if args.get("server_token"):
        request.add_header("Authorization", f"Bearer {args['server_token']}")

    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            pr_count = json.loads(response.read()).get("pr_count", 0)
        influxdb3_local.info(f"Successfully fetched {pr_count} PR merges for {repo}")
    except urllib.error.HTTPError as error:
        influxdb3_local.error(f"GitHub API error: {error.code} - {error.read().decode(errors='replace')}")
    except urllib.error.URLError as error:
        influxdb3_local.error(f"Failed to call github_prs endpoint: {error.reason}")

# Request plugin: collects pull requests merged to master from the GitHub API, writes one `gh` row per
# merge and answers with a summary. The seed's github_pr_req.py, with the API base URL as a trigger
# argument and the standard library's urllib in place of requests (nothing to install).
# Trigger: --trigger-spec "request:github_prs" --trigger-arguments github_token=...,api_base_url=https://api.github.com
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone


def _get(url, token):
    request = urllib.request.Request(url, headers={
        "Accept": "application/vnd.github.v3+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "scripting-plugin",
    })
    if token:
        request.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
    request_data = {}
    if request_body:
        try:
            request_data = json.loads(request_body)
        except json.JSONDecodeError:
            influxdb3_local.warn("Invalid JSON in request body")

    def setting(name):
        return request_data.get(name) or query_parameters.get(name) or (args and args.get(name))

    repo = setting("repo") or "influxdata/docs-v2"
    time_period = setting("time_period") or "day"
    token = setting("github_token")
    api_base = ((args and args.get("api_base_url")) or "https://api.github.com").rstrip("/")
    days = 7 if time_period == "week" else 1
    since = datetime.now(timezone.utc) - timedelta(days=days)
    since_iso = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    influxdb3_local.info(f"Collecting PR merge data for {repo} (master branch) since {since_iso}")

    try:
        pulls = _get(f"{api_base}/repos/{repo}/pulls?state=closed&sort=updated&direction=desc&per_page=100", token)
        merges = []
        for pr in pulls:
            merged_at = pr.get("merged_at")
            if not merged_at or pr.get("base", {}).get("ref") != "master":
                continue
            merged_time = datetime.strptime(merged_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            if merged_time < since:
                continue

            number = pr["number"]
            try:
                detail = _get(pr["url"], token)
                lines = detail.get("additions", 0) + detail.get("deletions", 0)
            except (urllib.error.URLError, ValueError):
                influxdb3_local.warn(f"Couldn't get PR details for #{number}")
                lines = 0

            author = pr["user"]["login"]
            merges.append({"number": number, "title": pr["title"], "author": author, "merged_at": merged_at, "lines": lines})
            influxdb3_local.write(LineBuilder("gh").tag("repo", repo).tag("ref", "master").string_field("activity_type", "pr_merge")
                                  .int64_field("lines", lines).string_field("author", author)
                                  .time_ns(int(merged_time.timestamp()) * 1_000_000_000))

        message = (f"Wrote {len(merges)} PR merge events to database" if merges
                   else "No PR merge events found for master branch in the specified time period")
        influxdb3_local.info(message)
        return {"status": "success", "message": message, "repository": repo, "time_period": time_period,
                "since": since_iso, "pr_count": len(merges), "pull_requests": merges}
    except (urllib.error.URLError, ValueError) as error:
        message = f"Error collecting GitHub data: {error}"
        influxdb3_local.error(message)
        return {"status": "error", "message": message}

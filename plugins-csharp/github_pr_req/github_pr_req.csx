// Request plugin: collects pull requests merged to master from the GitHub API, writes one `gh` row per
// merge and answers with a summary. Port of the seed's github_pr_req.py.
// Trigger: --trigger-spec "request:github_prs" --trigger-arguments github_token=...,api_base_url=https://api.github.com
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

object process_request(IInfluxDb3Local influxdb3_local, IReadOnlyDictionary<string, string> query_parameters,
    IReadOnlyDictionary<string, string> request_headers, byte[] request_body, IReadOnlyDictionary<string, string>? args)
{
    JsonNode? requestData = null;
    if (request_body.Length > 0)
    {
        try { requestData = JsonNode.Parse(request_body); }
        catch (System.Text.Json.JsonException) { influxdb3_local.warn("Invalid JSON in request body"); }
    }

    string? Setting(string name) =>
        requestData?[name]?.GetValue<string>() ?? query_parameters.GetValueOrDefault(name) ?? args?.GetValueOrDefault(name);

    var repo = Setting("repo") ?? "influxdata/docs-v2";
    var timePeriod = Setting("time_period") ?? "day";
    var token = Setting("github_token");
    var apiBase = (args?.GetValueOrDefault("api_base_url") ?? "https://api.github.com").TrimEnd('/');
    var days = timePeriod == "week" ? 7 : 1;
    var since = DateTime.UtcNow.AddDays(-days);
    var sinceIso = since.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    influxdb3_local.info($"Collecting PR merge data for {repo} (master branch) since {sinceIso}");

    JsonNode? Get(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/vnd.github.v3+json");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.ParseAdd("scripting-plugin");
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = Http.Send(request, influxdb3_local.Cancellation);
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text) : throw new HttpRequestException($"GitHub API error: {(int)response.StatusCode} - {text}");
    }

    try
    {
        var pulls = Get($"{apiBase}/repos/{repo}/pulls?state=closed&sort=updated&direction=desc&per_page=100")!.AsArray();
        var merges = new List<object>();
        foreach (var pr in pulls)
        {
            var mergedAt = pr?["merged_at"]?.GetValue<string>();
            if (mergedAt is null || pr!["base"]?["ref"]?.GetValue<string>() != "master") continue;
            var mergedTime = DateTime.Parse(mergedAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            if (mergedTime < since) continue;

            var number = pr["number"]!.GetValue<int>();
            long lines = 0;
            try
            {
                var detail = Get(pr["url"]!.GetValue<string>())!;
                lines = detail["additions"]!.GetValue<long>() + detail["deletions"]!.GetValue<long>();
            }
            catch (HttpRequestException) { influxdb3_local.warn($"Couldn't get PR details for #{number}"); }

            var author = pr["user"]!["login"]!.GetValue<string>();
            merges.Add(new Dictionary<string, object> { ["number"] = number, ["title"] = pr["title"]!.GetValue<string>(), ["author"] = author, ["merged_at"] = mergedAt, ["lines"] = lines });
            influxdb3_local.write(new LineBuilder("gh").tag("repo", repo).tag("ref", "master").string_field("activity_type", "pr_merge")
                .int64_field("lines", lines).string_field("author", author).time_ns((mergedTime - DateTime.UnixEpoch).Ticks * 100));
        }

        var message = merges.Count > 0 ? $"Wrote {merges.Count} PR merge events to database" : "No PR merge events found for master branch in the specified time period";
        influxdb3_local.info(message);
        return new Dictionary<string, object>
        {
            ["status"] = "success", ["message"] = message, ["repository"] = repo, ["time_period"] = timePeriod,
            ["since"] = sinceIso, ["pr_count"] = merges.Count, ["pull_requests"] = merges,
        };
    }
    catch (HttpRequestException error)
    {
        var message = $"Error collecting GitHub data: {error.Message}";
        influxdb3_local.error(message);
        return new Dictionary<string, object> { ["status"] = "error", ["message"] = message };
    }
}

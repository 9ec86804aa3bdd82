// Scheduled plugin: asks this server's github_prs request endpoint to collect pull requests, on a
// schedule. Port of the seed's github_pr_scheduled.py.
// Trigger: --trigger-spec "every:1h" --trigger-arguments repo=influxdata/docs-v2,time_period=week,api_host=http://127.0.0.1:8181
using System.Text.Json.Nodes;

static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
{
    var repo = args?.GetValueOrDefault("repo") ?? "influxdata/docs-v2";
    var timePeriod = args?.GetValueOrDefault("time_period") ?? "week";
    var apiHost = (args?.GetValueOrDefault("api_host") ?? "http://127.0.0.1:8181").TrimEnd('/');
    var token = args?.GetValueOrDefault("github_token");
    influxdb3_local.info($"Starting GitHub PR data collection at {call_time:O}");
    influxdb3_local.info($"Calling github_prs endpoint for {repo} over the last {timePeriod}...");

    var body = new Dictionary<string, string> { ["repo"] = repo, ["time_period"] = timePeriod };
    if (!string.IsNullOrEmpty(token)) body["github_token"] = token;
    using var request = new HttpRequestMessage(HttpMethod.Post, $"{apiHost}/api/v3/engine/github_prs")
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };
    if (args?.GetValueOrDefault("server_token") is { Length: > 0 } serverToken) request.Headers.Add("Authorization", $"Bearer {serverToken}");

    try
    {
        using var response = Http.Send(request, influxdb3_local.Cancellation);
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            influxdb3_local.error($"GitHub API error: {(int)response.StatusCode} - {text}");
            return;
        }

        var prCount = JsonNode.Parse(text)?["pr_count"]?.GetValue<int>() ?? 0;
        influxdb3_local.info($"Successfully fetched {prCount} PR merges for {repo}");
    }
    catch (HttpRequestException error)
    {
        influxdb3_local.error($"Failed to call github_prs endpoint: {error.Message}");
    }
}

// Scheduled downsampler: averages every numeric field of a table per tag set over the interval that
// just ended, and writes one row per group into another table.
// Trigger: --trigger-spec "every:1h" --trigger-arguments source=home,target=home_1h,interval=1h,tags=room,fields=temp;hum
void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
{
    var source = args?.GetValueOrDefault("source") ?? throw new ArgumentException("trigger argument 'source' (table to read) is required");
    var target = args?.GetValueOrDefault("target") ?? source + "_downsampled";
    var interval = args?.GetValueOrDefault("interval") ?? "1h";
    var tags = (args?.GetValueOrDefault("tags") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
    var fields = (args?.GetValueOrDefault("fields") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
    if (fields.Length == 0) throw new ArgumentException("trigger argument 'fields' (fields to average, separated by ';') is required");

    var end = call_time;
    var quoted = (string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
    var groupBy = string.Join(", ", tags.Select(quoted));
    var select = string.Join(", ", tags.Select(quoted).Concat(fields.Select(f => $"avg({quoted(f)}) AS {quoted(f)}")).Append("count(*) AS samples"));
    var sql = $"SELECT {select} FROM {quoted(source)} WHERE time >= $start AND time < $end" + (tags.Length > 0 ? $" GROUP BY {groupBy}" : "");
    var start = end - ParseInterval(interval);
    var rows = influxdb3_local.query(sql, new Dictionary<string, string>
    {
        ["start"] = start.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["end"] = end.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    });

    var timestamp = (start - DateTime.UnixEpoch).Ticks * 100;
    foreach (var row in rows)
    {
        var line = new LineBuilder(target);
        foreach (var tag in tags) if (row[tag] is string value) line.tag(tag, value);
        foreach (var field in fields) if (row[field] is double average) line.float64_field(field, average);
        line.int64_field("samples", Convert.ToInt64(row["samples"], CultureInfo.InvariantCulture)).time_ns(timestamp);
        influxdb3_local.write(line);
    }

    influxdb3_local.info($"downsampled {source} into {rows.Count} rows of {target} for {start:u} to {end:u}");
}

static TimeSpan ParseInterval(string text) => text[^1] switch
{
    's' => TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
    'm' => TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
    'h' => TimeSpan.FromHours(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
    'd' => TimeSpan.FromDays(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
    _ => throw new ArgumentException($"interval '{text}' must end in s, m, h or d"),
};

// Benchmark plugin: the downsampler's averages computed in plugin code over every raw row a query
// returns, so the rows cross into the language (see docs/benchmarks.md).
void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
{
    var sums = new Dictionary<string, (double Temp, double Hum, long Count)>();
    foreach (var row in influxdb3_local.query("SELECT room, temp, hum FROM home"))
    {
        var room = (string)row["room"]!;
        var total = sums.GetValueOrDefault(room);
        sums[room] = (total.Temp + (double)row["temp"]!, total.Hum + (double)row["hum"]!, total.Count + 1);
    }

    foreach (var (room, (temp, hum, count)) in sums)
    {
        influxdb3_local.write(new LineBuilder("home_code_csx").tag("room", room).float64_field("temp", temp / count)
            .float64_field("hum", hum / count).int64_field("samples", count));
    }
}

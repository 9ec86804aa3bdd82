# Benchmark plugin: the downsampler's averages computed in plugin code over every raw row a query
# returns, so the rows cross into the language (see docs/benchmarks.md).
def process_scheduled_call(influxdb3_local, call_time, args=None):
    sums = {}
    for row in influxdb3_local.query("SELECT room, temp, hum FROM home"):
        total = sums.get(row["room"])
        if total is None:
            total = sums[row["room"]] = [0.0, 0.0, 0]
        total[0] += row["temp"]
        total[1] += row["hum"]
        total[2] += 1
    for room, (temp, hum, count) in sums.items():
        influxdb3_local.write(LineBuilder("home_code_py").tag("room", room).float64_field("temp", temp / count)
                              .float64_field("hum", hum / count).int64_field("samples", count))

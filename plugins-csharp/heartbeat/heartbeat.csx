// Scheduled heartbeat: writes one `heartbeat` row per run, stamped with the scheduled time, and keeps
// a running count in the trigger's cache.
// Trigger: --trigger-spec "every:1s" --trigger-arguments source=server-1
void process_scheduled_call(IInfluxDb3Local influxdb3_local, DateTime call_time, IReadOnlyDictionary<string, string>? args)
{
    var beats = (long)(influxdb3_local.cache.get("beats", 0L) ?? 0L) + 1;
    influxdb3_local.cache.put("beats", beats);
    influxdb3_local.write(new LineBuilder("heartbeat")
        .tag("source", args?.GetValueOrDefault("source") ?? "scripting")
        .int64_field("beat", beats)
        .time_ns((call_time - DateTime.UnixEpoch).Ticks * 100));
}

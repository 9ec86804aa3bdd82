# Scheduled heartbeat: writes one `heartbeat` row per run, stamped with the scheduled time, and keeps
# a running count in the trigger's cache.
# Trigger: --trigger-spec "every:1s" --trigger-arguments source=server-1


def process_scheduled_call(influxdb3_local, call_time, args=None):
    beats = influxdb3_local.cache.get("beats", 0) + 1
    influxdb3_local.cache.put("beats", beats)
    influxdb3_local.write(LineBuilder("heartbeat")
                          .tag("source", (args or {}).get("source", "scripting"))
                          .int64_field("beat", beats)
                          .time_ns(int(call_time.timestamp()) * 1_000_000_000))

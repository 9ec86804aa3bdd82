# Scheduled downsampler: averages every numeric field of a table per tag set over the interval that
# just ended, and writes one row per group into another table.
# Trigger: --trigger-spec "every:1h" --trigger-arguments source=home,target=home_1h,interval=1h,tags=room,fields=temp;hum
from datetime import datetime, timedelta, timezone

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _interval(text):
    if not text or text[-1] not in _UNITS:
        raise ValueError(f"interval '{text}' must end in s, m, h or d")
    return timedelta(**{_UNITS[text[-1]]: float(text[:-1])})


def _quoted(name):
    return '"' + name.replace('"', '""') + '"'


def process_scheduled_call(influxdb3_local, call_time, args=None):
    args = args or {}
    source = args.get("source")
    if not source:
        raise ValueError("trigger argument 'source' (table to read) is required")
    target = args.get("target") or source + "_downsampled"
    tags = [t for t in args.get("tags", "").split(";") if t]
    fields = [f for f in args.get("fields", "").split(";") if f]
    if not fields:
        raise ValueError("trigger argument 'fields' (fields to average, separated by ';') is required")

    end = datetime.fromtimestamp(call_time.timestamp(), timezone.utc)
    start = end - _interval(args.get("interval", "1h"))
    select = ", ".join([_quoted(t) for t in tags] + [f"avg({_quoted(f)}) AS {_quoted(f)}" for f in fields] + ["count(*) AS samples"])
    sql = f"SELECT {select} FROM {_quoted(source)} WHERE time >= $start AND time < $end"
    if tags:
        sql += " GROUP BY " + ", ".join(_quoted(t) for t in tags)
    rows = influxdb3_local.query(sql, {"start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "end": end.strftime("%Y-%m-%dT%H:%M:%SZ")})

    timestamp = int(start.timestamp()) * 1_000_000_000
    for row in rows:
        line = LineBuilder(target)
        for tag in tags:
            if isinstance(row.get(tag), str):
                line.tag(tag, row[tag])
        for field in fields:
            if isinstance(row.get(field), float):
                line.float64_field(field, row[field])
        influxdb3_local.write(line.int64_field("samples", row["samples"]).time_ns(timestamp))

    influxdb3_local.info(f"downsampled {source} into {len(rows)} rows of {target} for {start:%Y-%m-%d %H:%M:%SZ} to {end:%Y-%m-%d %H:%M:%SZ}")

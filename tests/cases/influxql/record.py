#!/usr/bin/env python3
"""Records InfluxDB 1.6.7's answers to the InfluxQL cases, as golden files the tests compare with.

Usage: python3 tests/cases/influxql/record.py [CASES.json ...]
Needs Debian's influxdb package (apt-get install influxdb): starts its own influxd on a free loopback
port with a throw-away data directory, writes each case file's points, asks every statement over
/query, and writes golden/<name>.json beside the case file. CI only reads the golden files.
"""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_influxd(root):
    port = free_port()
    config = root / "influxdb.conf"
    config.write_text(f"""
reporting-disabled = true
bind-address = "127.0.0.1:{free_port()}"
[meta]
  dir = "{root}/meta"
[data]
  dir = "{root}/data"
  wal-dir = "{root}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:{port}"
  log-enabled = false
""")
    process = subprocess.Popen(["influxd", "run", "-config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/ping", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("influxd did not answer /ping within 30 s")


def request(url, path, params=None, body=None):
    full = url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    data = body.encode() if isinstance(body, str) else body
    try:
        with urllib.request.urlopen(urllib.request.Request(full, data=data, method="POST" if data is not None else "GET"), timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def record(case_file, url):
    cases = json.loads(case_file.read_text())
    database = cases["database"]
    request(url, "/query", {"q": f'DROP DATABASE "{database}"'}, body="")
    request(url, "/query", {"q": f'CREATE DATABASE "{database}"'}, body="")
    status, text = request(url, "/write", {"db": database, "precision": "ns"}, body="\n".join(cases["data"]) + "\n")
    if status != 204:
        raise SystemExit(f"{case_file.name}: writing the points failed: {status} {text}")
    golden = {}
    for case in cases["cases"]:
        params = {"db": database, "q": case["q"]}
        if "epoch" in case:
            params["epoch"] = case["epoch"]
        status, text = request(url, "/query", params)
        golden[case["name"]] = {"q": case["q"], "status": status, "body": json.loads(text) if text.strip() else None}
    target = case_file.parent / "golden" / (case_file.stem.removesuffix(".cases") + ".json")
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n")
    print(f"{case_file.name}: {len(golden)} answers -> {target.relative_to(HERE)}")


def main():
    if shutil.which("influxd") is None:
        raise SystemExit("influxd is not installed: apt-get install influxdb")
    files = [pathlib.Path(p) for p in sys.argv[1:]] or sorted(HERE.glob("*.cases.json"))
    root = pathlib.Path(tempfile.mkdtemp(prefix="influxql-oracle-"))
    process, url = start_influxd(root)
    try:
        for case_file in files:
            record(case_file.resolve(), url)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

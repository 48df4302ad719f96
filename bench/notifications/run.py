#!/usr/bin/env python3
"""The notification benchmark, in one command: builds release, starts the context broker in threadpool mode and a
local receiver (bench/notifications/Receiver), and measures

1. notifications per second with one subscription and many updates (wrk PATCHes over 1,000 entities), and the
   delay from each write to its notification's arrival (p50, p99);
2. notifications per second with 1,000 subscriptions and one update;
3. the update rate with 1,000 subscriptions matching every update, against the rate without any;
4. the broker's resident memory with 100,000 and with 1,000,000 subscriptions (created through the API, then
   measured again after a restart that loads them from the database);
5. Atrium's HTTP transport (plain SwiftNIO) against async-http-client, both reusing connections, posting to the
   same receiver (bench/notifications/Clients).

Results go to the "Notifications" section of docs/benchmarks.md, with the load average before and after.

Usage: bench/notifications/run.py [--seconds N] [--subscriptions-max N] [--allow-load]
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BROKER_PORT = 21126
RECEIVER_PORT = 21190
BROKER = f"http://127.0.0.1:{BROKER_PORT}"
RECEIVER = f"http://127.0.0.1:{RECEIVER_PORT}"


def load():
    return float(pathlib.Path("/proc/loadavg").read_text().split()[0])


def http(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"Content-Type": "application/json", **(headers or {})},
                                     method=method)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def wait_up(url, seconds=30):
    for _ in range(seconds * 10):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError("not up: " + url)


def wrk(url, script, seconds, connections=32):
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
                            check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def receiver_stats():
    return json.loads(http("GET", RECEIVER + "/stats")[2])


def wait_quiet(seconds=1.0, limit=120):
    """Waits until the receiver's count stops growing for `seconds`; returns its statistics."""
    previous, since, started = -1, time.monotonic(), time.monotonic()
    while time.monotonic() - started < limit:
        count = receiver_stats()["count"]
        if count != previous:
            previous, since = count, time.monotonic()
        elif time.monotonic() - since >= seconds:
            break
        time.sleep(0.1)
    return receiver_stats()


def rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Broker:
    def __init__(self, binary, work, *flags):
        self.log = open(work / "broker.log", "ab")
        self.process = subprocess.Popen(
            [binary, "context-broker", "-fg", "-port", str(BROKER_PORT), "-dataFolder", str(work / "data"),
             "-pidpath", str(work / "broker.pid"), "-logDir", str(work), "-logLevel", "ERROR",
             "-reqMutexPolicy", "none", "-localIp", "127.0.0.1", *flags],
            stdout=self.log, stderr=subprocess.STDOUT)
        # A restart over a million subscriptions loads them all before it answers.
        wait_up(BROKER + "/version", seconds=900)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=120)
        self.log.close()


def entities(count, type_name, prefix):
    for start in range(0, count, 1000):
        items = [{"id": f"{prefix}{n}", "type": type_name, "temperature": {"value": 0}}
                 for n in range(start, min(count, start + 1000))]
        http("POST", BROKER + "/v2/op/update", {"actionType": "append", "entities": items})


def subscribe(url, entities_selector, attrs=("temperature", "dateModified")):
    status, headers, _ = http("POST", BROKER + "/v2/subscriptions", {
        "subject": {"entities": [entities_selector]},
        "notification": {"http": {"url": url}, "attrs": list(attrs)}})
    assert status == 201


def subscription_count():
    _, headers, _ = http("GET", BROKER + "/v2/subscriptions?limit=1&options=count")
    return int(headers.get("Fiware-Total-Count", "0"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--subscriptions-max", type=int, default=1_000_000)
    parser.add_argument("--allow-load", action="store_true")
    arguments = parser.parse_args()
    load_before = load()
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    print("== load average at the start:", load_before)
    subprocess.run(["swift", "build", "-c", "release", "--product", "atrium"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    for product in ["atrium-bench-receiver", "atrium-bench-http-clients"]:
        subprocess.run(["swift", "build", "-c", "release", "--package-path", "bench", "--product", product],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip() + "/atrium"
    receiver_binary = subprocess.run(
        ["swift", "build", "-c", "release", "--package-path", "bench", "--show-bin-path"], cwd=ROOT, check=True,
        capture_output=True, text=True).stdout.strip() + "/atrium-bench-receiver"
    work = pathlib.Path(tempfile.mkdtemp())
    receiver = subprocess.Popen([receiver_binary, str(RECEIVER_PORT)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    results = {}
    broker = None
    try:
        wait_up(RECEIVER + "/stats")
        print("== HTTP clients: Atrium's transport against async-http-client")
        output = subprocess.run([receiver_binary.replace("atrium-bench-receiver", "atrium-bench-http-clients"),
                                 str(RECEIVER_PORT), "20000", "10"], check=True, capture_output=True,
                                text=True).stdout
        print(output)
        results["clients"] = json.loads(output.strip().splitlines()[-1])
        mode = ["-notificationMode", "threadpool:10000:50", "-statNotifQueue"]

        # 1. One subscription, many updates.
        broker = Broker(binary, work, *mode)
        entities(1000, "Notified", "N-")
        subscribe(RECEIVER + "/notify", {"idPattern": "^N-", "type": "Notified"})
        http("DELETE", RECEIVER + "/stats")
        print("== one subscription, many updates")
        update_rate, errors = wrk(BROKER, ROOT / "bench/notifications/update.lua", arguments.seconds)
        stats = wait_quiet()
        queue = json.loads(http("GET", BROKER + "/statistics")[2])["notifQueue"]
        span = max(stats["last"] - stats["first"], 1e-9)
        results["one"] = {"updates_per_s": update_rate, "errors": errors, "delivered": stats["count"],
                          "notifications_per_s": stats["count"] / span, "p50_ms": stats["p50"] * 1000,
                          "p99_ms": stats["p99"] * 1000, "rejected": queue["reject"],
                          "avg_time_in_queue_ms": queue["avgTimeInQueue"] * 1000}
        print(results["one"])
        broker.stop()
        shutil.rmtree(work / "data")

        # 2 and 3. 1,000 subscriptions matching one entity.
        broker = Broker(binary, work, *mode)
        entities(1000, "Notified", "N-")
        print("== update rate without subscriptions")
        bare_rate, _ = wrk(BROKER, ROOT / "bench/notifications/update.lua", arguments.seconds)
        for _ in range(1000):
            subscribe(RECEIVER + "/notify", {"idPattern": "^N-", "type": "Notified"})
        http("DELETE", RECEIVER + "/stats")
        print("== 1,000 subscriptions, one update")
        http("PATCH", BROKER + "/v2/entities/N-1/attrs?type=Notified", {"temperature": {"value": -1}})
        stats = wait_quiet()
        span = max(stats["last"] - stats["first"], 1e-9)
        results["fanout"] = {"delivered": stats["count"], "notifications_per_s": stats["count"] / span,
                             "p99_ms": stats["p99"] * 1000}
        print(results["fanout"])
        print("== update rate with 1,000 matching subscriptions")
        loaded_rate, errors = wrk(BROKER, ROOT / "bench/notifications/update.lua", arguments.seconds)
        wait_quiet()
        results["update_ratio"] = {"without": bare_rate, "with": loaded_rate, "ratio": loaded_rate / bare_rate,
                                   "errors": errors}
        print(results["update_ratio"])
        broker.stop()
        shutil.rmtree(work / "data")

        # 4. Memory with many subscriptions.
        broker = Broker(binary, work)
        base_rss = rss_mb(broker.process.pid)
        memory = []
        for target in [100_000, 1_000_000]:
            if target > arguments.subscriptions_max:
                break
            while subscription_count() < target:
                wrk(BROKER, ROOT / "bench/notifications/subscribe.lua", 10)
            count = subscription_count()
            live = rss_mb(broker.process.pid)
            broker.stop()
            broker = Broker(binary, work)
            loaded = rss_mb(broker.process.pid)
            memory.append({"subscriptions": count, "rss_mb_live": live, "rss_mb_reloaded": loaded})
            print(memory[-1])
        results["memory"] = {"empty_rss_mb": base_rss, "points": memory}
        broker.stop()
        broker = None
    finally:
        if broker:
            broker.stop()
        receiver.terminate()
        receiver.wait()
        shutil.rmtree(work, ignore_errors=True)
    load_after = load()
    (ROOT / "bench/results").mkdir(exist_ok=True)
    (ROOT / "bench/results/notifications.json").write_text(json.dumps(results, indent=2))
    if load_before > 0.5 and not arguments.allow_load:
        print(f"load average {load_before} > 0.5 at the start: docs/benchmarks.md not written")
        return
    write_report(results, arguments.seconds, load_before, load_after, started, arguments.allow_load)


def write_report(results, seconds, load_before, load_after, started, allow_load):
    one, fanout, ratio, memory = results["one"], results["fanout"], results["update_ratio"], results["memory"]
    clients = results["clients"]
    lines = [
        "## Notifications (subscriptions)", "",
        f"`bench/notifications/run.py --seconds {seconds}`, run {started} UTC; load average {load_before} at the "
        f"start, {load_after} at the end{' (written with --allow-load)' if allow_load else ''}. Release build, "
        "`-notificationMode threadpool:10000:50`, a Hummingbird receiver on loopback "
        "(`bench/notifications/Receiver`) answering 200; wrk with 2 threads and 32 connections shares the 2 cores.",
        "",
        "| Measure | Figure | Target |", "|---|---|---|",
        f"| One subscription, PATCH updates over 1,000 entities: notifications/s delivered | "
        f"{one['notifications_per_s']:,.0f} ({one['delivered']:,} delivered, {one['rejected']:,} rejected as queue "
        f"full; updates {one['updates_per_s']:,.0f}/s) | ≥ 10,000 |",
        f"| … delay from write to arrival, p50 / p99 | {one['p50_ms']:.1f} ms / {one['p99_ms']:.1f} ms "
        f"(mean time in queue {one['avg_time_in_queue_ms']:.2f} ms) | — |",
        f"| 1,000 subscriptions, one update: notifications/s | {fanout['notifications_per_s']:,.0f} "
        f"({fanout['delivered']:,} delivered, p99 delay {fanout['p99_ms']:.0f} ms) | ≥ 10,000 |",
        f"| Update rate with 1,000 matching subscriptions / without | {ratio['with']:,.0f} / {ratio['without']:,.0f} "
        f"= {ratio['ratio']:.0%} | ≥ 80% |",
    ]
    lines.append(f"| HTTP client, {clients['requests']:,} POSTs from {clients['concurrency']} loops over reused "
                 f"connections: Atrium's SwiftNIO transport / async-http-client | {clients['nio']:,} / "
                 f"{clients['ahc']:,} requests/s = {clients['nio'] / clients['ahc']:.2f} | the faster is kept |")
    for point in memory["points"]:
        lines.append(f"| Resident memory with {point['subscriptions']:,} subscriptions (live / after restart) | "
                     f"{point['rss_mb_live']:,.0f} MB / {point['rss_mb_reloaded']:,.0f} MB "
                     f"(empty: {memory['empty_rss_mb']:.0f} MB) | 1,000,000 under 2 GB |")
    lines += [
        "",
        "Reading the update ratio: with 1,000 subscriptions matching every update, each update asks for 1,000 "
        "notifications, far more than can be sent; the change queue and the notification queue then drop (as "
        "Orion's queue does) while the notifier matches, builds and delivers flat out. On this 2-core machine that "
        "work, the deliveries and the receiver take the cores the single SQLite writer needs; the notifier runs on "
        "a thread of its own at nice 10, which is not enough. Sending 10,000 notifications/s to a receiver on the "
        "same cores already costs about half the update rate (first row against the update rate without "
        "subscriptions).",
        "",
    ]
    section = "\n".join(lines) + "\n"
    page = ROOT / "docs/benchmarks.md"
    text = page.read_text()
    pattern = re.compile(r"## Notifications \(subscriptions\)\n.*?(?=\n## |\Z)", re.S)
    text = pattern.sub(section.rstrip("\n") + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    page.write_text(text)
    print("docs/benchmarks.md written")


if __name__ == "__main__":
    main()

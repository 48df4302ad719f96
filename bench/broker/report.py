"""Writes the broker benchmark's figures into their own section of docs/benchmarks.md."""

import datetime
import os
import platform
import sys

results, total, single, matches, duration, threads, connections, target, load = sys.argv[1:10]
rows = {}
with open(results) as handle:
    for line in handle:
        name, rate, p99 = line.rstrip("\n").split("\t")
        rows[name] = (float(rate), p99)

get_base = rows["baseline GET"][0]
post_base = rows["baseline POST"][0]
baseline_of = {
    "create (single)": post_base, "create (batch of 100)": post_base, "GET one entity": get_base,
    "q query, two conditions": get_base, "update one attribute": post_base,
}
targets = {"GET one entity": 12000, "q query, two conditions": 4000, "update one attribute": 8000}

lines = [
    "<!-- broker:begin -->",
    "## Context broker (NGSIv2)",
    "",
    f"Run `bench/broker/run.sh` (release build, SQLite, `-reqMutexPolicy none`; wrk -t{threads} -c{connections}, "
    f"{duration} s per phase, on loopback; the server and wrk share the machine's {os.cpu_count()} cores). "
    f"Last run: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}.",
    "",
    f"The database held {int(total):,} `Bench` entities for the GET, query and update phases "
    f"({int(single):,} made by single creates; the rest by batches). The query "
    f"`q=temperature>90;humidity<10&limit=20` matches {int(matches):,} of them. "
    "Each figure is also given as a ratio to the bare Hummingbird endpoint of the same run "
    "(`GET /ping` for reads, `POST /echo` for writes).",
    "",
    "| phase | requests/s | p99 latency | ratio to bare Hummingbird | target |",
    "|---|---|---|---|---|",
]
for name in ["create (single)", "create (batch of 100)", "GET one entity", "q query, two conditions", "update one attribute"]:
    rate, p99 = rows[name]
    extra = f" ({rate * 100:,.0f} entities/s)" if name.startswith("create (batch") else ""
    target_text = f"{targets[name]:,}/s" if name in targets else ""
    lines.append(f"| {name} | {rate:,.0f}{extra} | {p99} | {rate / baseline_of[name]:.2f} | {target_text} |")
for name in ["baseline GET", "baseline POST"]:
    rate, p99 = rows[name]
    lines.append(f"| bare Hummingbird, {name.split()[1]} | {rate:,.0f} | {p99} | 1.00 | |")
lines += [
    "",
    "Writes are durable when acknowledged (`synchronous=FULL`); concurrent writes share one commit (group commit).",
    f"The machine's 1-minute load average was {load} when the run started: other work on the same cores lowers "
    "every figure, the bare server's included, which is why the ratios are the figures to compare between runs.",
    "<!-- broker:end -->",
]
section = "\n".join(lines) + "\n"

text = open(target).read() if os.path.exists(target) else "# Benchmarks\n\n"
begin, end = text.find("<!-- broker:begin -->"), text.find("<!-- broker:end -->")
if begin >= 0 and end >= 0:
    text = text[:begin] + section + text[end + len("<!-- broker:end -->\n"):]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(target, "w").write(text)

"""Writes the broker benchmark's figures into their own section of docs/benchmarks.md."""

import datetime
import os
import platform
import re
import statistics
import sys

results, total, single, queried, matches, duration, threads, connections, target, load = sys.argv[1:11]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text):
    """wrk prints latencies as 812.00us, 4.50ms or 1.02s."""
    number, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


runs = {}
with open(results) as handle:
    for line in handle:
        name, rate, p99 = line.rstrip("\n").split("\t")
        runs.setdefault(name, []).append((float(rate), milliseconds(p99)))
# A phase run several times is reported by the median of its rates and the median of its p99 latencies.
rows = {
    name: (statistics.median(r for r, _ in values), f"{statistics.median(p for _, p in values):.2f}ms", len(values))
    for name, values in runs.items()
}

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
    f"The create phases made {int(total):,} `Bench` entities ({int(single):,} by single creates, the rest by "
    "batches); GET and update use them. The query phase runs over "
    f"{int(queried):,} entities of type `Query`, made for it (untimed) in batches: "
    f"`type=Query&q=temperature>90;humidity<10&limit=20` matches {int(matches):,} of them. "
    "The GET, query and update phases ran three times; the table gives the median rate and the median p99. "
    "Each figure is also given as a ratio to the bare Hummingbird endpoint of the same run "
    "(`GET /ping` for reads, `POST /echo` for writes).",
    "",
    "| phase | requests/s | p99 latency | ratio to bare Hummingbird | target |",
    "|---|---|---|---|---|",
]
for name in ["create (single)", "create (batch of 100)", "GET one entity", "q query, two conditions", "update one attribute"]:
    rate, p99, _ = rows[name]
    extra = f" ({rate * 100:,.0f} entities/s)" if name.startswith("create (batch") else ""
    target_text = f"{targets[name]:,}/s" if name in targets else ""
    lines.append(f"| {name} | {rate:,.0f}{extra} | {p99} | {rate / baseline_of[name]:.2f} | {target_text} |")
for name in ["baseline GET", "baseline POST"]:
    rate, p99, _ = rows[name]
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

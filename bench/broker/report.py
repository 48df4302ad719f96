"""Writes the broker benchmark's figures into their own section of docs/benchmarks.md: medians with min-max of the
repeated phases and the load average around each one. Refuses to write the page when the 1-minute load average was
above 0.5 at the start, unless the run was told to (the page then says so); the section is printed either way."""

import os
import platform
import re
import statistics
import sys

(results, total, single, queried, matches, duration, threads, connections, target, load, end_load, started,
 allow_load) = sys.argv[1:14]
quiet = float(load) <= 0.5
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text):
    """wrk prints latencies as 812.00us, 4.50ms or 1.02s."""
    number, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


runs = {}
loads = {}
with open(results) as handle:
    for line in handle:
        name, rate, p99, before, after = line.rstrip("\n").split("\t")
        runs.setdefault(name, []).append((float(rate), milliseconds(p99)))
        loads.setdefault(name, []).append((float(before), float(after)))
# A phase run several times is reported by the median of its rates and the median of its p99 latencies.
rows = {
    name: (statistics.median(r for r, _ in values), f"{statistics.median(p for _, p in values):.2f}ms", len(values))
    for name, values in runs.items()
}


def spread(name):
    rates = [r for r, _ in runs[name]]
    return f" ({min(rates):,.0f}–{max(rates):,.0f})" if len(rates) > 1 else ""


def load_range(name):
    values = [value for pair in loads[name] for value in pair]
    return f"{min(values):.2f}–{max(values):.2f}"

get_base = rows["baseline GET"][0]
post_base = rows["baseline POST"][0]
baseline_of = {
    "create (single)": post_base, "create (batch of 100)": post_base, "GET one entity": get_base,
    "q query, two conditions": get_base, "update one attribute": post_base,
}
targets = {"GET one entity": 15000, "q query, two conditions": 4000, "update one attribute": 8000}

lines = [
    "<!-- broker:begin -->",
    "## Context broker (NGSIv2)",
    "",
    f"Run `bench/broker/run.sh` (release build, SQLite, `-reqMutexPolicy none`; wrk -t{threads} -c{connections}, "
    f"{duration} s per phase, on loopback; the server and wrk share the machine's {os.cpu_count()} cores). "
    f"Last run: {started} UTC, {platform.machine()}, "
    + (f"quiet machine (1-minute load average {load} at the start, {end_load} at the end)." if quiet else
       f"**loaded machine**: 1-minute load average {load} at the start (above 0.5; written with `--allow-load`), "
       f"{end_load} at the end; other work on the same cores lowers every figure, the bare server's included."),
    "",
    f"The create phases made {int(total):,} `Bench` entities ({int(single):,} by single creates, the rest by "
    "batches); GET and update use them. The query phase runs over "
    f"{int(queried):,} entities of type `Query`, made for it (untimed) in batches: "
    f"`type=Query&q=temperature>90;humidity<10&limit=20` matches {int(matches):,} of them. "
    f"The GET, query and update phases and the bare server's ran {rows['GET one entity'][2]} times, interleaved; "
    "the table gives the median rate (min–max) and the median p99, and the load average seen around the phase. "
    "Each figure is also given as a ratio to the bare Hummingbird endpoint of the same run "
    "(`GET /ping` for reads, `POST /echo` for writes).",
    "",
    "| phase | requests/s (min–max) | p99 latency | ratio to bare Hummingbird | target | load average |",
    "|---|---|---|---|---|---|",
]
for name in ["create (single)", "create (batch of 100)", "GET one entity", "q query, two conditions", "update one attribute"]:
    rate, p99, _ = rows[name]
    extra = f" ({rate * 100:,.0f} entities/s)" if name.startswith("create (batch") else ""
    target_text = f"{targets[name]:,}/s" if name in targets else ""
    lines.append(f"| {name} | {rate:,.0f}{spread(name)}{extra} | {p99} | {rate / baseline_of[name]:.2f} | {target_text}"
                 f" | {load_range(name)} |")
for name in ["baseline GET", "baseline POST"]:
    rate, p99, _ = rows[name]
    lines.append(f"| bare Hummingbird, {name.split()[1]} | {rate:,.0f}{spread(name)} | {p99} | 1.00 | | {load_range(name)} |")
lines += [
    "",
    "Writes are durable when acknowledged (`synchronous=FULL`); concurrent writes share one commit (group commit).",
    "The ratios to the bare server are the figures to compare between runs. The load average during the phases is "
    "the benchmark's own: wrk and the server fill both cores.",
    "<!-- broker:end -->",
]
section = "\n".join(lines) + "\n"
print(section)
if not quiet and allow_load != "1":
    print(f"== not writing {target}: the 1-minute load average was {load} at the start (above 0.5); re-run on a quiet "
          "machine, or pass --allow-load", file=sys.stderr)
    sys.exit(0)

text = open(target).read() if os.path.exists(target) else "# Benchmarks\n\n"
begin, end = text.find("<!-- broker:begin -->"), text.find("<!-- broker:end -->")
if begin >= 0 and end >= 0:
    text = text[:begin] + section + text[end + len("<!-- broker:end -->\n"):]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(target, "w").write(text)
print(f"== written to {target}")

#!/usr/bin/env python3
"""Medians per tool of the parse benchmark's runs, and Atrium's ratios to pydicom and dcmtk."""
import json
import statistics
import sys

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
tools = {}
for run in runs:
    tools.setdefault(run["tool"], []).append(run)
median = {tool: {key: statistics.median(r[key] for r in rs) for key in ("filesPerSecond", "megabytesPerSecond")}
          for tool, rs in tools.items()}
files = runs[0]["files"]
print("| tool | files per run | files/s (median of %d) | MB/s |" % len(tools["atrium-full"]))
print("|---|---|---|---|")
for tool, value in median.items():
    print("| %s | %d | %.0f | %.1f |" % (tool, tools[tool][0]["files"], value["filesPerSecond"], value["megabytesPerSecond"]))
print()
def ratio(a, b):
    return median[a]["filesPerSecond"] / median[b]["filesPerSecond"]
print("| ratio (files/s) | value |")
print("|---|---|")
for a, b in (("atrium-stop-before-pixels", "pydicom-stop-before-pixels"),
             ("atrium-stop-before-pixels", "dcmdump-stop-before-pixels"),
             ("atrium-full", "pydicom-full"),
             ("atrium-full", "dcmdump-full"),
             ("atrium-full-listing", "dcmdump-full")):
    print("| %s / %s | %.1f× |" % (a, b, ratio(a, b)))

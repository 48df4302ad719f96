#!/usr/bin/env python3
"""The parse benchmark's section of docs/benchmarks.md, from its runs and instruction counts: medians per tool
with min-max, Atrium's ratios to pydicom and dcmtk, the load average of each run, and instructions per file.

usage: summarize.py RUNS.jsonl INSTRUCTIONS.jsonl --command C --started T --start-load L --end-load L
                    --allow-load 0|1"""
import argparse
import json
import statistics

parser = argparse.ArgumentParser()
parser.add_argument("runs")
parser.add_argument("instructions")
parser.add_argument("--command", required=True)
parser.add_argument("--started", required=True)
parser.add_argument("--start-load", type=float, required=True)
parser.add_argument("--end-load", type=float, required=True)
parser.add_argument("--allow-load", type=int, default=0)
arguments = parser.parse_args()

records = [json.loads(line) for line in open(arguments.runs) if line.strip()]
loads = [record for record in records if record["tool"] == "load"]
runs = {}
for record in records:
    if record["tool"] != "load":
        runs.setdefault(record["tool"], []).append(record)
counts = {}
for line in open(arguments.instructions):
    if line.strip():
        record = json.loads(line)
        counts.setdefault(record["tool"], {})[record["passes"]] = record["instructions"]

RATIOS = (
    ("atrium-stop-before-pixels", "pydicom-stop-before-pixels", 10),
    ("atrium-stop-before-pixels", "dcmdump-stop-before-pixels", 4),
    ("atrium-full", "pydicom-full", 6),
    ("atrium-full", "dcmdump-full", 3),
    ("atrium-full-listing", "dcmdump-full", None),
)


def rates(tool):
    return [run["filesPerSecond"] for run in runs[tool]]


def files_per_pass(tool):
    run = runs[tool][0]
    return run["files"] // run["passes"]


def ratio_per_run(a, b):
    return [x / y for x, y in zip(rates(a), rates(b))]


run_count = len(runs["atrium-full"])
quiet = arguments.start_load <= 0.5
out = []
out.append("## DICOM parsing (`DICOM` module)")
out.append("")
out.append(f"**Command:** `{arguments.command.strip()}` ({run_count} runs; in each run every tool parses the corpus"
           " ROUNDS times, one tool after the other, so the tools are interleaved; Atrium repeats its passes until it has"
           " measured at least one second). The script writes this section; it refuses to when the 1-minute load"
           " average is above 0.5 at the start, unless `--allow-load` is given.")
out.append("")
out.append("**Corpus:** every sample file of pydicom 3.0.2 and pydicom-data 1.0.0 that pydicom reads without `force`:"
           f" {files_per_pass('pydicom-full')} files, 60 MB in all, from 200-byte data sets to 12 MB multi-frame images,"
           " every transfer syntax the samples use (implicit and explicit VR, big endian, deflated, JPEG, JPEG-LS,"
           " JPEG 2000, RLE).")
out.append("")
out.append("**What each tool does per file:**")
out.append("")
out.append("| tool | work |")
out.append("|---|---|")
out.append("| `atrium-full` | read the file with `FileContents` (a file of 256 KiB or more is mapped, a smaller one read),"
           " parse the whole data set, read 4 identifiers (what an index needs) |")
out.append("| `atrium-stop-before-pixels` | the same, stopping before Pixel Data (`ParseOptions(stopBeforePixelData: true)`);"
           " the pixel bytes of a mapped file are never read |")
out.append("| `atrium-full-listing` | whole parse plus the `atrium dump` listing of every element (the work `dcmdump` does) |")
out.append("| `atrium-orthanc-tags` | whole parse plus Orthanc's `/instances/{id}/tags` JSON |")
out.append("| `pydicom-full` / `-stop-before-pixels` | `pydicom.dcmread(path[, stop_before_pixels=True])`, then the same 4"
           " identifiers |")
out.append("| `dcmdump-full` / `-stop-before-pixels` | one `dcmdump` process over the whole batch (dcmtk 3.6.7), output to"
           " `/dev/null`; `+sb 7fe0,0010` to stop before Pixel Data |")
out.append("")
load_text = (f"quiet machine: 1-minute load average {arguments.start_load:.2f} at the start, {arguments.end_load:.2f} at"
             " the end" if quiet else
             f"**loaded machine**: 1-minute load average {arguments.start_load:.2f} at the start (above 0.5; written"
             f" with `--allow-load`), {arguments.end_load:.2f} at the end. Other work on the same cores slows every"
             " tool, and not all by the same factor")
out.append(f"**Latest run** ({arguments.started}, {load_text}):")
out.append("")
out.append(f"| tool | files per pass | files/s, median of {run_count} (min–max) | MB/s, median |")
out.append("|---|---|---|---|")
for tool in runs:
    values = rates(tool)
    megabytes = statistics.median(run["megabytesPerSecond"] for run in runs[tool])
    out.append(f"| {tool} | {files_per_pass(tool)} | {statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"
               f" | {megabytes:,.1f} |")
out.append("")
out.append("| ratio (files/s) | ratio of the medians | per run, min–max | target |")
out.append("|---|---|---|---|")
verdicts = []
for a, b, target in RATIOS:
    value = statistics.median(rates(a)) / statistics.median(rates(b))
    per_run = ratio_per_run(a, b)
    target_text = ""
    if target:
        met = value >= target
        target_text = f"at least {target}×: **{'met' if met else 'not met'}**"
        verdicts.append(met)
    out.append(f"| {a} / {b} | {value:.1f}× | {min(per_run):.1f}–{max(per_run):.1f}× | {target_text} |")
out.append("")
out.append("| run | load before | load after |")
out.append("|---|---|---|")
for record in loads:
    out.append(f"| {record['run']} | {record['before']:.2f} | {record['after']:.2f} |")
out.append("")
if counts:
    out.append("**Instructions per file** (valgrind's callgrind, which counts instructions and is not disturbed by other"
               " work on the machine: each tool runs over the corpus once and twice, and the difference, one pass"
               " without start-up, imports and dictionary loading, is divided by the files of a pass; user-space"
               " instructions only, so the kernel's copies of file data are not in them):")
    out.append("")
    out.append("| tool | instructions per file | relative to Atrium |")
    out.append("|---|---|---|")
    per_file = {}
    for tool, by_passes in counts.items():
        if 1 in by_passes and 2 in by_passes:
            per_file[tool] = (by_passes[2] - by_passes[1]) / files_per_pass(tool)
    for tool, value in per_file.items():
        base = per_file.get("atrium-full" if "full" in tool else "atrium-stop-before-pixels")
        relative = f"{value / base:.1f}×" if base else ""
        out.append(f"| {tool} | {value:,.0f} | {relative} |")
    out.append("")
out.append("Files per pass differ because Atrium rejects the 4 samples that are truncated (pydicom keeps the partial value;"
           " Atrium names the offset of the truncation); 2 of them are truncated inside Pixel Data, so they parse when"
           " stopping before it.")
out.append("")
out.append("**Targets** (issue: at least 10× pydicom and 4× dcmdump stopping before Pixel Data, at least 6× pydicom and 3×"
           f" dcmdump for the whole parse, on a quiet machine): **{'all met' if all(verdicts) else 'not all met'}**"
           + ("" if quiet else ", but on a loaded machine") + ".")
print("\n".join(out))

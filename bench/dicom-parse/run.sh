#!/usr/bin/env bash
# DICOM parse benchmark: Atrium's DICOM module vs pydicom (dcmread, with and without stop_before_pixels)
# vs dcmtk (one dcmdump process over the whole batch, full and +sb 7fe0,0010), on the same sample files,
# in one run. Prints a Markdown table of medians over RUNS runs and the ratios.
#
# usage: bench/dicom-parse/run.sh [RUNS=5] [ROUNDS=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-5}"
ROUNDS="${2:-4}"
OUT="bench/results/dicom-parse"
mkdir -p "$OUT"

python3 Tests/integration/dicom/make_reference.py --out "$OUT/reference" >/dev/null
# The corpus: every sample pydicom reads strictly (no force), which is what all three tools parse.
python3 - "$OUT/reference/manifest.json" > "$OUT/files.txt" <<'PY'
import json, sys
for entry in json.load(open(sys.argv[1])):
    if entry["readable"] and not entry.get("forced"):
        print(entry["path"])
PY
# dcmdump over a batch repeats the list ROUNDS times, like the others.
for _ in $(seq "$ROUNDS"); do cat "$OUT/files.txt"; done > "$OUT/files-rounds.txt"

swift build -c release --package-path bench --product dicom-parse-bench >/dev/null
BENCH="$(swift build -c release --package-path bench --show-bin-path)/dicom-parse-bench"
DCMDUMP="$(command -v dcmdump)"

dcmtk_run() {  # mode, extra flags
    local start end files bytes
    files=$(wc -l < "$OUT/files-rounds.txt")
    bytes=$(xargs stat -c %s < "$OUT/files-rounds.txt" | awk '{s+=$1} END {print s}')
    start=$(date +%s.%N)
    xargs -a "$OUT/files-rounds.txt" "$DCMDUMP" -q $2 > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    python3 -c "import json,sys; s=$end-$start; print(json.dumps({'tool':'$1','files':$files,'bytes':$bytes,'seconds':s,'filesPerSecond':$files/s,'megabytesPerSecond':$bytes/s/1e6}))"
}

: > "$OUT/runs.jsonl"
for run in $(seq "$RUNS"); do
    "$BENCH" "$OUT/files.txt" "$ROUNDS" >> "$OUT/runs.jsonl"
    python3 bench/dicom-parse/pydicom_parse.py "$OUT/files.txt" "$ROUNDS" >> "$OUT/runs.jsonl"
    dcmtk_run dcmdump-full "+M" >> "$OUT/runs.jsonl"
    dcmtk_run dcmdump-stop-before-pixels "+sb 7fe0,0010" >> "$OUT/runs.jsonl"
done
python3 bench/dicom-parse/summarize.py "$OUT/runs.jsonl" | tee "$OUT/summary.md"

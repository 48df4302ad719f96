#!/usr/bin/env bash
# DICOM parse benchmark: Atrium's DICOM module vs pydicom (dcmread, with and without stop_before_pixels)
# vs dcmtk (one dcmdump process over the whole batch, full and +sb 7fe0,0010), on the same sample files,
# in one run, the tools interleaved within each run. Then counts the instructions each tool spends per file
# (valgrind's callgrind, which a shared machine does not disturb), and writes the results into
# docs/benchmarks.md between the dicom-parse markers.
#
# usage: bench/dicom-parse/run.sh [RUNS=5] [ROUNDS=4] [--allow-load] [--no-instructions]
#   RUNS: runs of every tool (at least 5 for the page); ROUNDS: passes over the corpus per tool and run (Atrium
#   repeats its passes until it has measured at least one second, as one pass takes it about 10 ms).
#   The page is written only when the 1-minute load average is at most 0.5 at the start; --allow-load writes
#   it anyway and the page says what the load was.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=5
ROUNDS=4
ALLOW_LOAD=0
INSTRUCTIONS=1
positional=()
for argument in "$@"; do
    case "$argument" in
        --allow-load) ALLOW_LOAD=1 ;;
        --no-instructions) INSTRUCTIONS=0 ;;
        -*) echo "unknown option $argument" >&2; exit 2 ;;
        *) positional+=("$argument") ;;
    esac
done
((${#positional[@]} >= 1)) && RUNS="${positional[0]}"
((${#positional[@]} >= 2)) && ROUNDS="${positional[1]}"
OUT="bench/results/dicom-parse"
mkdir -p "$OUT"

load() { cut -d' ' -f1 /proc/loadavg; }
START_LOAD="$(load)"
STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== load average at the start: $START_LOAD"

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
# The interpreter itself, not a shim script in front of it (valgrind must start the real program).
PYTHON="$(python3 -c 'import sys; print(sys.executable)')"

dcmtk_run() {  # tool name, dcmdump flags
    local start end files bytes
    files=$(wc -l < "$OUT/files-rounds.txt")
    bytes=$(xargs stat -c %s < "$OUT/files-rounds.txt" | awk '{s+=$1} END {print s}')
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    xargs -a "$OUT/files-rounds.txt" "$DCMDUMP" -q $2 > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    python3 -c "import json; s=$end-$start; print(json.dumps({'tool':'$1','passes':$ROUNDS,'files':$files,'bytes':$bytes,'seconds':s,'filesPerSecond':$files/s,'megabytesPerSecond':$bytes/s/1e6}))"
}

: > "$OUT/runs.jsonl"
for run in $(seq "$RUNS"); do
    before="$(load)"
    "$BENCH" "$OUT/files.txt" "$ROUNDS" all 1 >> "$OUT/runs.jsonl"
    python3 bench/dicom-parse/pydicom_parse.py "$OUT/files.txt" "$ROUNDS" >> "$OUT/runs.jsonl"
    dcmtk_run dcmdump-full "+M" >> "$OUT/runs.jsonl"
    dcmtk_run dcmdump-stop-before-pixels "+sb 7fe0,0010" >> "$OUT/runs.jsonl"
    after="$(load)"
    echo "{\"tool\":\"load\",\"run\":$run,\"before\":$before,\"after\":$after}" >> "$OUT/runs.jsonl"
    echo "== run $run of $RUNS done (load $before -> $after)"
done

# Instructions per file: callgrind counts every instruction of a process, so each tool runs over the corpus
# once and twice, and the difference (one pass, without start-up, imports and dictionary loading) is divided
# by the files of a pass.
: > "$OUT/instructions.jsonl"
if ((INSTRUCTIONS)); then
    STRIPPED="$OUT/dicom-parse-bench.stripped"
    # valgrind 3.19 cannot read the DWARF 5 that Swift writes; the symbol table is enough to count.
    objcopy --strip-debug "$BENCH" "$STRIPPED"
    cat "$OUT/files.txt" "$OUT/files.txt" > "$OUT/files-twice.txt"
    count() {  # tool, passes, command…
        local tool="$1" passes="$2"
        shift 2
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" > /dev/null 2> "$OUT/callgrind.log" || true
        local refs
        refs=$(grep -E "Collected :" "$OUT/callgrind.log" | awk '{gsub(",", "", $4); print $4}' || true)
        if [[ -z "$refs" ]]; then
            echo "== callgrind failed for $tool: see $OUT/callgrind.log" >&2
            return 0
        fi
        echo "{\"tool\":\"$tool\",\"passes\":$passes,\"instructions\":$refs}" >> "$OUT/instructions.jsonl"
    }
    for passes in 1 2; do
        for mode in atrium-full atrium-stop-before-pixels; do
            count "$mode" "$passes" "$STRIPPED" "$OUT/files.txt" "$passes" "$mode"
        done
        for mode in pydicom-full pydicom-stop-before-pixels; do
            count "$mode" "$passes" "$PYTHON" bench/dicom-parse/pydicom_parse.py "$OUT/files.txt" "$passes" "$mode"
        done
        list="$OUT/files.txt"
        ((passes == 2)) && list="$OUT/files-twice.txt"
        mapfile -t batch < "$list"
        count dcmdump-full "$passes" "$DCMDUMP" -q +M "${batch[@]}"
        count dcmdump-stop-before-pixels "$passes" "$DCMDUMP" -q +sb 7fe0,0010 "${batch[@]}"
    done
    echo "== instructions counted"
fi
END_LOAD="$(load)"

python3 bench/dicom-parse/summarize.py "$OUT/runs.jsonl" "$OUT/instructions.jsonl" \
    --command "bench/dicom-parse/run.sh $*" --started "$STARTED" --start-load "$START_LOAD" \
    --end-load "$END_LOAD" --allow-load "$ALLOW_LOAD" | tee "$OUT/summary.md"

if awk -v load="$START_LOAD" 'BEGIN { exit !(load > 0.5) }' && ((!ALLOW_LOAD)); then
    echo "== not writing docs/benchmarks.md: the 1-minute load average was $START_LOAD at the start (above 0.5);" \
        "re-run on a quiet machine, or pass --allow-load" >&2
    exit 0
fi
if ((RUNS < 5)); then
    echo "== not writing docs/benchmarks.md: the page needs at least 5 runs" >&2
    exit 0
fi
python3 - "$OUT/summary.md" docs/benchmarks.md <<'PY'
import sys
section = open(sys.argv[1]).read().rstrip("\n") + "\n"
path = sys.argv[2]
text = open(path).read()
begin, end = "<!-- dicom-parse:begin -->", "<!-- dicom-parse:end -->"
start, stop = text.index(begin), text.index(end)
open(path, "w").write(text[:start] + begin + "\n" + section + text[stop:])
PY
echo "== docs/benchmarks.md updated"

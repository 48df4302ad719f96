#!/usr/bin/env bash
# The context broker benchmark, in one command: builds release, starts the broker and a bare Hummingbird server
# on loopback, runs wrk phases (single creates, batch creates up to 100,000 entities, GET one entity, a q query
# with two conditions over the 100,000 entities, a one-attribute update, and the bare server's GET and POST),
# and writes the figures into the "Context broker" section of docs/benchmarks.md.
#
# Usage: bench/broker/run.sh [seconds per phase, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
DURATION="${1:-10}"
THREADS=2
CONNECTIONS=32
BROKER_PORT=21026
BASELINE_PORT=21080
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }

echo "== swift build -c release"
swift build -c release --product atrium >/dev/null
swift build -c release --package-path bench --product atrium-bench-baseline >/dev/null
BIN="$(swift build -c release --show-bin-path)"
BENCH_BIN="$(swift build -c release --package-path bench --show-bin-path)"

WORK="$(mktemp -d)"
cleanup() {
    [[ -n "${BROKER_PID:-}" ]] && kill "$BROKER_PID" 2>/dev/null || true
    [[ -n "${BASELINE_PID:-}" ]] && kill "$BASELINE_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    mkdir -p bench/results && cp "$WORK/broker.log" bench/results/broker.log 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN/atrium" context-broker -port "$BROKER_PORT" -dataFolder "$WORK/data" -reqMutexPolicy none -logLevel ERROR \
    >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
"$BENCH_BIN/atrium-bench-baseline" "$BASELINE_PORT" >"$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!
for port in "$BROKER_PORT" "$BASELINE_PORT"; do
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done

BROKER="http://127.0.0.1:$BROKER_PORT"
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# phase NAME URL [wrk args…]: runs wrk and records requests/s and p99 latency.
phase() {
    local name="$1" url="$2"
    shift 2
    echo "== $name"
    local output
    output="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url")"
    echo "$output" | grep -E "Requests/sec|99%|Non-2xx" || true
    local rate p99
    rate="$(echo "$output" | awk '/Requests\/sec/ {print $2}')"
    p99="$(echo "$output" | awk '$1 == "99%" {print $2}')"
    if echo "$output" | grep -q "Non-2xx"; then echo "!! $name had non-2xx answers" >&2; fi
    printf '%s\t%s\t%s\n' "$name" "$rate" "$p99" >>"$RESULTS"
}

count() {
    curl -s -D - -o /dev/null "$BROKER/v2/entities?type=Bench&limit=1&options=count" \
        | awk -F': ' 'tolower($1) == "fiware-total-count" {print $2}' | tr -d '\r'
}

phase "baseline GET" "http://127.0.0.1:$BASELINE_PORT/ping"
phase "baseline POST" "http://127.0.0.1:$BASELINE_PORT/echo" -s bench/broker/lua/post-echo.lua
phase "create (single)" "$BROKER" -s bench/broker/lua/create.lua
single="$(count)"
phase "create (batch of 100)" "$BROKER" -s bench/broker/lua/batch.lua
total="$(count)"
# Top up (unmeasured) so that the queries run over at least 100,000 entities.
python3 - "$BROKER" "$total" <<'PY'
import json, sys, urllib.request
url, have = sys.argv[1], int(sys.argv[2])
n = 0
while have < 100000:
    items = []
    for _ in range(min(1000, 100000 - have)):
        n += 1
        items.append({"id": f"T-{n}", "type": "Bench", "temperature": {"value": n % 100},
                      "humidity": {"value": (n * 13) % 100}, "name": {"value": "sensor"}})
    body = json.dumps({"actionType": "append", "entities": items}).encode()
    request = urllib.request.Request(url + "/v2/op/update", body, {"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
    have += len(items)
PY
total="$(count)"
echo "entities: $total ($single by single creates)"
phase "GET one entity" "$BROKER/v2/entities/S1-2?type=Bench"
# One untimed query first: the first query on an attribute creates its indexes (seconds on this many entities),
# as an administrator would have created them before going live.
curl -s -o /dev/null "$BROKER/v2/entities?type=Bench&q=temperature%3E90;humidity%3C10&limit=20"
phase "q query, two conditions" "$BROKER/v2/entities?type=Bench&q=temperature%3E90;humidity%3C10&limit=20"
matches="$(curl -s -D - -o /dev/null "$BROKER/v2/entities?type=Bench&q=temperature%3E90;humidity%3C10&limit=1&options=count" \
    | awk -F': ' 'tolower($1) == "fiware-total-count" {print $2}' | tr -d '\r')"
phase "update one attribute" "$BROKER" -s bench/broker/lua/update.lua

python3 bench/broker/report.py "$RESULTS" "$total" "$single" "$matches" "$DURATION" "$THREADS" "$CONNECTIONS" \
    docs/benchmarks.md "$LOAD_BEFORE"
echo "== written to docs/benchmarks.md"

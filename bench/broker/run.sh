#!/usr/bin/env bash
# The context broker benchmark, in one command: builds release, starts the broker and a bare Hummingbird server
# on loopback, runs wrk phases (single creates, batch creates up to 100,000 entities, GET one entity, a q query
# with two conditions over the 100,000 entities, a one-attribute update, and the bare server's GET and POST),
# and writes the figures into the "Context broker" section of docs/benchmarks.md.
#
# The GET, query and update phases and the bare server's run five times, interleaved (one of each in turn); the
# page gives the medians with min-max, and the 1-minute load average before and after each phase. The page is
# written only when the load average is at most 0.5 at the start; --allow-load writes it anyway, and says so.
#
# Usage: bench/broker/run.sh [seconds per phase, default 10] [--allow-load]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
ALLOW_LOAD=0
positional=()
for argument in "$@"; do
    case "$argument" in
        --allow-load) ALLOW_LOAD=1 ;;
        -*) echo "unknown option $argument" >&2; exit 2 ;;
        *) positional+=("$argument") ;;
    esac
done
DURATION="${positional[0]:-10}"
REPETITIONS=5
THREADS=2
CONNECTIONS=32
BROKER_PORT=21026
BASELINE_PORT=21080
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }

load() { cut -d' ' -f1 /proc/loadavg; }
# The load of other work, taken before this script's own build.
LOAD_BEFORE="$(load)"
STARTED="$(date -u '+%Y-%m-%d %H:%M')"
echo "== load average at the start: $LOAD_BEFORE"
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

"$BIN/atrium" context-broker -fg -port "$BROKER_PORT" -dataFolder "$WORK/data" -reqMutexPolicy none -logLevel ERROR \
    -pidpath "$WORK/broker.pid" -logDir "$WORK" -localIp 127.0.0.1 \
    >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
"$BENCH_BIN/atrium-bench-baseline" "$BASELINE_PORT" >"$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!
for port in "$BROKER_PORT" "$BASELINE_PORT"; do
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done

BROKER="http://127.0.0.1:$BROKER_PORT"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# phase NAME URL [wrk args…]: runs wrk once and records requests/s and p99 latency.
phase() {
    local name="$1" url="$2"
    shift 2
    echo "== $name"
    local output before after
    before="$(load)"
    output="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url")"
    echo "$output" | grep -E "Requests/sec|99%|Non-2xx" || true
    local rate p99
    rate="$(echo "$output" | awk '/Requests\/sec/ {print $2}')"
    p99="$(echo "$output" | awk '$1 == "99%" {print $2}')"
    if echo "$output" | grep -q "Non-2xx"; then echo "!! $name had non-2xx answers" >&2; fi
    after="$(load)"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$p99" "$before" "$after" >>"$RESULTS"
}

# count TYPE: the number of entities of that type.
count() {
    curl -s -D - -o /dev/null "$BROKER/v2/entities?type=$1&limit=1&options=count" \
        | awk -F': ' 'tolower($1) == "fiware-total-count" {print $2}' | tr -d '\r'
}

phase "create (single)" "$BROKER" -s bench/broker/lua/create.lua
single="$(count Bench)"
phase "create (batch of 100)" "$BROKER" -s bench/broker/lua/batch.lua
total="$(count Bench)"
# The query phase runs over exactly 100,000 entities of their own type, made (unmeasured) in batches, so that its
# figure does not depend on how many entities the timed create phases managed to make.
python3 - "$BROKER" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
for start in range(0, 100000, 1000):
    items = [{"id": f"Q-{n}", "type": "Query", "temperature": {"value": n % 100},
              "humidity": {"value": (n * 13) % 100}, "name": {"value": "sensor"}}
             for n in range(start, start + 1000)]
    body = json.dumps({"actionType": "append", "entities": items}).encode()
    request = urllib.request.Request(url + "/v2/op/update", body, {"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
PY
queried="$(count Query)"
echo "entities: $total Bench ($single by single creates), $queried Query"
# One untimed query first: the first query on an attribute creates its indexes (seconds on this many entities),
# as an administrator would have created them before going live.
curl -s -o /dev/null "$BROKER/v2/entities?type=Query&q=temperature%3E90;humidity%3C10&limit=20"
matches="$(curl -s -D - -o /dev/null "$BROKER/v2/entities?type=Query&q=temperature%3E90;humidity%3C10&limit=1&options=count" \
    | awk -F': ' 'tolower($1) == "fiware-total-count" {print $2}' | tr -d '\r')"
# The repeated phases, interleaved with the bare server's, so that a change of load shows in both.
for repetition in $(seq "$REPETITIONS"); do
    echo "== repetition $repetition of $REPETITIONS"
    phase "baseline GET" "http://127.0.0.1:$BASELINE_PORT/ping"
    phase "GET one entity" "$BROKER/v2/entities/S1-2?type=Bench"
    phase "q query, two conditions" "$BROKER/v2/entities?type=Query&q=temperature%3E90;humidity%3C10&limit=20"
    phase "baseline POST" "http://127.0.0.1:$BASELINE_PORT/echo" -s bench/broker/lua/post-echo.lua
    phase "update one attribute" "$BROKER" -s bench/broker/lua/update.lua
done

python3 bench/broker/report.py "$RESULTS" "$total" "$single" "$queried" "$matches" "$DURATION" "$THREADS" "$CONNECTIONS" \
    docs/benchmarks.md "$LOAD_BEFORE" "$(load)" "$STARTED" "$ALLOW_LOAD"

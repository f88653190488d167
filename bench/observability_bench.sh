#!/usr/bin/env bash
# Cost of observability (informational only: never a test assertion).
#
# Measures GET /api/v1/tokens?limit=20 (bearer API token, tenant-scoped list of 20 rows) on SQLite twice
# per round, in one run:
#   off  KILN_METRICS=0, KILN_ACCESS_LOG=0, no OTLP endpoint (no spans recorded or exported)
#   on   metrics on (and scraped every second, like Prometheus would), access log on (one JSON line per
#        request, written to a file), tracing on with every request sampled and exported over OTLP/HTTP to a
#        local sink that answers 200 (bench/otlp_sink.py)
# Rounds alternate off/on so drift on a shared machine hits both alike; the median of each is reported.
#
# BENCH_MODES="off on metrics access_log tracing" adds runs with one part on at a time.
# Usage: bench/observability_bench.sh [--rounds 3] [--duration 10s] [--connections 32] [--threads 2]
# Environment: KILN_BIN (default build/kiln), BENCH_ROUNDS, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS,
#              BENCH_WARMUP (default 2s). KILN_HANDLER_THREADS / KILN_IO_THREADS / KILN_DB_POOL_SIZE pass through.
set -euo pipefail
export LC_ALL=C

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
ROUNDS="${BENCH_ROUNDS:-3}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
WARMUP="${BENCH_WARMUP:-2s}"
# off and on always; BENCH_MODES may add metrics, access_log and tracing (each alone) to see what costs what.
MODES="${BENCH_MODES:-off on}"

while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --duration | -d) DURATION="$2"; shift 2 ;;
        --connections | -c) CONNECTIONS="$2"; shift 2 ;;
        --threads | -t) THREADS="$2"; shift 2 ;;
        -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "observability_bench: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { printf '[obs-bench] %s\n' "$*" >&2; }
die() { printf '[obs-bench] ERROR: %s\n' "$*" >&2; exit 1; }

BIN="${KILN_BIN:-$REPO_ROOT/build/kiln}"
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || die "server binary not found: $BIN (build it, or set KILN_BIN)"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
command -v python3 >/dev/null || die "python3 not found"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kiln-obs-bench.XXXXXX")"
SERVER_PID=""
SINK_PID=""
SCRAPER_PID=""

stop_pid() {
    local pid="$1"
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$SCRAPER_PID"; stop_pid "$SERVER_PID"; stop_pid "$SINK_PID"
    rm -rf -- "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    die "no free port found"
}
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }

# ---- the OTLP sink ----------------------------------------------------------------------------------
SINK_PORT="$(free_port)"
python3 "$SCRIPT_DIR/otlp_sink.py" "$SINK_PORT" "$WORK/sink-stats" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!

# ---- one server on one data dir; restarted per mode so both see the same database -----------------
DATA="$WORK/data"
mkdir -p "$DATA"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
DEMO_PASSWORD="bench-$(date +%s)-$RANDOM"

start_server() {
    local mode="$1"
    (
        export PORT KILN_ADDRESS=127.0.0.1 KILN_DATA_DIR="$DATA" KILN_LOG_LEVEL=info KILN_DEMO_PASSWORD="$DEMO_PASSWORD" \
            KILN_ENV=bench
        unset KILN_DATABASE_URL OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
        export KILN_METRICS=0 KILN_ACCESS_LOG=0
        case "$mode" in
            on | metrics) export KILN_METRICS=1 ;;&
            on | access_log) export KILN_ACCESS_LOG=1 ;;&
            on | tracing) export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_TRACES_SAMPLER=always_on ;;
        esac
        exec "$BIN" serve
    ) >>"$WORK/server-$mode.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null --max-time 1 "$BASE/api/v1/health/live" 2>/dev/null && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$WORK/server-$mode.log" >&2; die "server exited"; }
        sleep 0.1
    done
    die "server did not start"
}

start_server off
session="$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"email\":\"owner@demo.kiln.local\",\"password\":\"$DEMO_PASSWORD\"}" "$BASE/api/v1/auth/login" | json_field token)"
PAT=""
for i in $(seq 1 25); do
    body="$(curl -fsS -X POST -H "Authorization: Bearer $session" -H 'Content-Type: application/json' \
        -d "{\"name\":\"bench-$i\"}" "$BASE/api/v1/tokens")"
    [ -n "$PAT" ] || PAT="$(printf '%s' "$body" | json_field token)"
done
case "$PAT" in kiln_pat_*) ;; *) die "no API token" ;; esac
stop_pid "$SERVER_PID"; SERVER_PID=""

declare -A RESULTS=()
run_mode() {
    local mode="$1" round="$2" out
    start_server "$mode"
    if [ "$mode" = on ] || [ "$mode" = metrics ]; then
        (while true; do curl -fsS -o /dev/null "$BASE/api/v1/metrics" || true; sleep 1; done) &
        SCRAPER_PID=$!
    fi
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $PAT" "$BASE/api/v1/tokens?limit=20" \
        >/dev/null 2>&1 || true
    out="$WORK/$mode-$round.wrk"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $PAT" \
        "$BASE/api/v1/tokens?limit=20" >"$out" 2>&1 || die "wrk failed"
    grep -q "Non-2xx" "$out" && die "non-2xx responses in $mode round $round: $(cat "$out")"
    RESULTS["$mode|$round"]="$(awk '/^Requests\/sec:/ { print $2 }' "$out")|$(awk '$1 == "99%" { print $2 }' "$out")"
    log "round $round $mode: $(awk '/^Requests\/sec:/ { print $2 }' "$out") req/s, p99 $(awk '$1 == "99%" { print $2 }' "$out")"
    stop_pid "$SCRAPER_PID"; SCRAPER_PID=""
    stop_pid "$SERVER_PID"; SERVER_PID=""
}

for round in $(seq 1 "$ROUNDS"); do
    for mode in $MODES; do run_mode "$mode" "$round"; done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\nGET /api/v1/tokens?limit=20 on SQLite, wrk -t%s -c%s -d%s, %s rounds\n' "$THREADS" "$CONNECTIONS" "$DURATION" "$ROUNDS"
off_rps="$(for r in $(seq 1 "$ROUNDS"); do echo "${RESULTS[off|$r]%%|*}"; done | median)"
for mode in $MODES; do
    line="$(for r in $(seq 1 "$ROUNDS"); do printf '%s (p99 %s)  ' "${RESULTS[$mode|$r]%%|*}" "${RESULTS[$mode|$r]##*|}"; done)"
    rps="$(for r in $(seq 1 "$ROUNDS"); do echo "${RESULTS[$mode|$r]%%|*}"; done | median)"
    printf '  %-10s median %9s req/s  = %s of off   rounds: %s\n' "$mode" "$rps" \
        "$(awk -v a="$rps" -v b="$off_rps" 'BEGIN { printf "%.3f", a / b }')" "$line"
done
access_lines="$(cat "$WORK"/server-*.log | grep -c '"message":"request"' || true)"
printf '  observability on: %s access log lines written; OTLP sink received %s\n' "$access_lines" \
    "$(cat "$WORK/sink-stats" 2>/dev/null || echo 'nothing')"

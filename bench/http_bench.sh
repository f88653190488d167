#!/usr/bin/env bash
# HTTP throughput / latency benchmark for Kiln (informational only: never used as a test assertion).
#
# For each backend (sqlite, then postgres) it starts a fresh `kiln serve` on a free loopback port with a
# fresh data dir / database, logs in as the seeded demo owner, creates 25 personal API tokens (so that
# GET /tokens?limit=20 returns a full page of 20 rows), warms up, and runs wrk against
#   (1) GET /api/v1/health/live            public liveness probe, no database
#   (2) GET /api/v1/tokens?limit=20        authenticated (kiln_pat_ bearer), tenant-scoped list of 20 rows
# and prints one summary table (requests/s and p99 latency) plus the list/live throughput ratio.
#
# Usage: bench/http_bench.sh [--backends "sqlite postgres"] [--duration 10s] [--connections 32] [--threads 2]
#
# Environment (flags win over environment):
#   KILN_BIN            server binary (default build/kiln, else build-dev/kiln)
#   BENCH_BACKENDS      "sqlite postgres" (default), or just one of them
#   BENCH_DURATION      wrk duration per endpoint (default 10s)
#   BENCH_CONNECTIONS   wrk connections (default 32)
#   BENCH_THREADS       wrk threads (default 2)
#   BENCH_WARMUP        warm-up duration per endpoint, output discarded (default 2s)
#   PG_BIN              PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
#   KILN_HANDLER_THREADS, KILN_IO_THREADS, KILN_DB_POOL_SIZE are passed through to the server unchanged.
#
# Exit status: 0 when every run completed with zero non-2xx responses and the list returned exactly 20 rows;
# 1 otherwise (the table is still printed when the wrk runs themselves completed).
set -euo pipefail
export LC_ALL=C

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
WARMUP="${BENCH_WARMUP:-2s}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
export PG_BIN

usage() {
    sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --backends) BACKENDS="$2"; shift 2 ;;
        --duration | -d) DURATION="$2"; shift 2 ;;
        --connections | -c) CONNECTIONS="$2"; shift 2 ;;
        --threads | -t) THREADS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        -h | --help) usage 0 ;;
        *) echo "http_bench: unknown argument '$1'" >&2; usage 2 ;;
    esac
done

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---- binary and tools -------------------------------------------------------------------------------
if [ -n "${KILN_BIN:-}" ]; then
    BIN="$KILN_BIN"
elif [ -x "$REPO_ROOT/build/kiln" ]; then
    BIN="$REPO_ROOT/build/kiln"
elif [ -x "$REPO_ROOT/build-dev/kiln" ]; then
    BIN="$REPO_ROOT/build-dev/kiln"
else
    BIN="$REPO_ROOT/build/kiln"
fi
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || die "server binary not found or not executable: $BIN (build it, or set KILN_BIN)"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
command -v curl >/dev/null || die "curl not found"

for b in $BACKENDS; do
    case "$b" in
        sqlite) ;;
        postgres)
            [ -x "$PG_BIN/initdb" ] || die "PostgreSQL binaries not found in $PG_BIN (set PG_BIN)"
            [ -x "$REPO_ROOT/scripts/pg-test-cluster.sh" ] || [ -f "$REPO_ROOT/scripts/pg-test-cluster.sh" ] ||
                die "scripts/pg-test-cluster.sh not found"
            ;;
        *) die "unknown backend '$b' (expected sqlite and/or postgres)" ;;
    esac
done

# Reads one top-level field from JSON on stdin: a string value, or the length of an array with `len:`.
json_get() {
    local expr="$1"
    if command -v jq >/dev/null; then
        case "$expr" in
            len:*) jq -r ".${expr#len:} | length" ;;
            *) jq -r ".${expr} // empty" ;;
        esac
    else
        python3 -c '
import json, sys
expr = sys.argv[1]
doc = json.load(sys.stdin)
if expr.startswith("len:"):
    print(len(doc[expr[4:]]))
else:
    v = doc.get(expr)
    print("" if v is None else v)
' "$expr"
    fi
}

# ---- temp state and cleanup -------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/kiln-bench.XXXXXX")"
# The PG cluster runs as the `postgres` OS user when we are root: it must be able to traverse WORK.
chmod 711 "$WORK"
SERVER_PID=""
PG_DIR=""

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            kill -TERM "$SERVER_PID" 2>/dev/null || true
            for _ in $(seq 1 100); do
                kill -0 "$SERVER_PID" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

stop_pg() {
    if [ -n "$PG_DIR" ]; then
        bash "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
        PG_DIR=""
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_server
    stop_pg
    rm -rf -- "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A loopback port nobody is listening on (small race with other processes; good enough for a benchmark).
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}

# ---- per-backend steps ------------------------------------------------------------------------------
DEMO_PASSWORD="bench-$(date +%s)-$RANDOM"
BASE=""
PAT=""

start_server() {
    local backend="$1" db_url="$2" port data_dir
    port="$(free_port)"
    data_dir="$WORK/$backend-data"
    mkdir -p "$data_dir"
    BASE="http://127.0.0.1:$port"
    log "$backend: starting $BIN serve on 127.0.0.1:$port"
    (
        export PORT="$port" KILN_ADDRESS=127.0.0.1 KILN_DATA_DIR="$data_dir" KILN_LOG_LEVEL=warn \
            KILN_DEMO_PASSWORD="$DEMO_PASSWORD" KILN_ENV=bench
        if [ -n "$db_url" ]; then export KILN_DATABASE_URL="$db_url"; else unset KILN_DATABASE_URL; fi
        exec "$BIN" serve
    ) >"$WORK/$backend-server.log" 2>&1 &
    SERVER_PID=$!

    for _ in $(seq 1 300); do
        if curl -fsS -o /dev/null --max-time 1 "$BASE/api/v1/health/live" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 40 "$WORK/$backend-server.log" >&2 || true
            die "$backend: server exited during startup"
        fi
        sleep 0.1
    done
    tail -n 40 "$WORK/$backend-server.log" >&2 || true
    die "$backend: server did not answer health/live within 30s"
}

# Logs in, creates 25 API tokens (the first one becomes PAT), checks that the list returns exactly 20 rows.
setup_data() {
    local backend="$1" resp session i body rows
    resp="$(curl -fsS -X POST -H 'Content-Type: application/json' \
        -d "{\"email\":\"owner@demo.kiln.local\",\"password\":\"$DEMO_PASSWORD\"}" "$BASE/api/v1/auth/login")" ||
        die "$backend: login failed"
    session="$(printf '%s' "$resp" | json_get token)"
    case "$session" in kiln_ses_*) ;; *) die "$backend: login returned no session token: $resp" ;; esac

    PAT=""
    for i in $(seq 1 25); do
        body="$(curl -fsS -X POST -H "Authorization: Bearer $session" -H 'Content-Type: application/json' \
            -d "{\"name\":\"bench-$i\"}" "$BASE/api/v1/tokens")" || die "$backend: creating token $i failed"
        if [ -z "$PAT" ]; then
            PAT="$(printf '%s' "$body" | json_get token)"
            case "$PAT" in kiln_pat_*) ;; *) die "$backend: token creation returned no kiln_pat_ token: $body" ;; esac
        fi
    done

    body="$(curl -fsS -H "Authorization: Bearer $PAT" "$BASE/api/v1/tokens?limit=20")" ||
        die "$backend: GET /tokens?limit=20 failed"
    rows="$(printf '%s' "$body" | json_get len:data)"
    [ "$rows" = "20" ] || die "$backend: GET /tokens?limit=20 returned $rows rows in data, expected exactly 20"
    log "$backend: 25 tokens created; list returns 20 rows"
}

# Converts a wrk latency such as 812.00us / 2.10ms / 1.02s / 2.00m to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n
    }'
}

RESULTS=()        # "backend|endpoint|rps|p99ms|note"
declare -A RPS=()
FAILED=0

run_wrk() {
    local backend="$1" label="$2" path="$3" auth="$4" out rps p99 non2xx sockerr note=""
    local -a hdr=()
    [ -n "$auth" ] && hdr=(-H "Authorization: Bearer $auth")

    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${hdr[@]}" "$BASE$path" >/dev/null 2>&1 || true
    log "$backend: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $path"
    out="$WORK/$backend-${label//[^a-z0-9]/_}.wrk"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${hdr[@]}" "$BASE$path" >"$out" 2>&1 ||
        { cat "$out" >&2; die "$backend: wrk failed on $path"; }
    sed 's/^/    /' "$out" >&2

    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' "$out")"
    [ -n "$rps" ] && [ -n "$p99" ] || die "$backend: could not parse wrk output for $path"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    sockerr="$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$out")"
    if [ -n "$non2xx" ] && [ "$non2xx" != "0" ]; then
        note="FAIL: $non2xx non-2xx"
        FAILED=1
    fi
    if [ -n "$sockerr" ]; then
        note="${note:+$note; }socket errors: $sockerr"
    fi
    RPS["$backend|$label"]="$rps"
    RESULTS+=("$backend|$label|$rps|$(to_ms "$p99")ms|$note")
}

bench_backend() {
    local backend="$1" db_url="" pg_port
    if [ "$backend" = postgres ]; then
        pg_port="$(free_port)"
        PG_DIR="$WORK/pg"
        log "postgres: starting throwaway cluster on 127.0.0.1:$pg_port"
        # Production durability (fsync, synchronous commit, full page writes on), as the figures are quoted.
        KILN_PG_DURABLE=1 bash "$REPO_ROOT/scripts/pg-test-cluster.sh" start "$PG_DIR" "$pg_port" >/dev/null ||
            die "postgres: could not start the cluster"
        "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "postgres://kiln:kiln@127.0.0.1:$pg_port/postgres" \
            -c 'CREATE DATABASE kiln_bench' -c 'CREATE DATABASE pgbench_ceiling' ||
            die "postgres: CREATE DATABASE failed"
        # The ceiling from the same cluster in the same run: one prepared primary-key SELECT per transaction.
        local ceiling_url="postgres://kiln:kiln@127.0.0.1:$pg_port/pgbench_ceiling"
        "$PG_BIN/pgbench" -q -i -s 1 "$ceiling_url" >/dev/null 2>&1 || die "postgres: pgbench -i failed"
        local tps
        tps="$("$PG_BIN/pgbench" -S -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "${DURATION%s}" "$ceiling_url" 2>/dev/null |
            awk '/^tps/ {print int($3); exit}')"
        RESULTS+=("postgres|pgbench -S -M prepared (ceiling, same cluster)|${tps:-?}|-|transactions/s, not HTTP")
        db_url="postgres://kiln:kiln@127.0.0.1:$pg_port/kiln_bench"
    fi

    start_server "$backend" "$db_url"
    setup_data "$backend"
    run_wrk "$backend" "health/live" "/api/v1/health/live" ""
    run_wrk "$backend" "tokens?limit=20 (auth)" "/api/v1/tokens?limit=20" "$PAT"
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        tail -n 40 "$WORK/$backend-server.log" >&2 || true
        die "$backend: server died during the run"
    fi
    stop_server
    stop_pg
}

log "binary: $BIN ($("$BIN" --version 2>/dev/null | head -n1 || echo '?'))"
log "backends: $BACKENDS; wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP); cores: $(nproc)"
log "server threads: handler=${KILN_HANDLER_THREADS:-default} io=${KILN_IO_THREADS:-default}"

for b in $BACKENDS; do
    bench_backend "$b"
done

# ---- summary ----------------------------------------------------------------------------------------
echo
echo "Kiln HTTP benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, $(basename "$BIN")"
printf '%-9s %-24s %10s %10s\n' backend endpoint "req/s" p99
for r in "${RESULTS[@]}"; do
    IFS='|' read -r b e rps p99 note <<<"$r"
    printf '%-9s %-24s %10.1f %10s%s\n' "$b" "$e" "$rps" "$p99" "${note:+  $note}"
done
echo
for b in $BACKENDS; do
    live="${RPS["$b|health/live"]:-}"
    list="${RPS["$b|tokens?limit=20 (auth)"]:-}"
    if [ -n "$live" ] && [ -n "$list" ]; then
        awk -v b="$b" -v l="$live" -v t="$list" \
            'BEGIN { printf "%-9s authenticated list / live probe throughput = %.3f\n", b, (l > 0 ? t / l : 0) }'
    fi
done

if [ "$FAILED" -ne 0 ]; then
    echo
    echo "FAILED: some runs saw non-2xx responses (see the wrk output above)." >&2
    exit 1
fi

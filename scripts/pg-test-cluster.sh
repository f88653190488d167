#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for the test suites.
#
#   scripts/pg-test-cluster.sh start DIR PORT   create DIR, initdb, start on 127.0.0.1:PORT, create role kiln
#   scripts/pg-test-cluster.sh stop DIR         stop the cluster and remove DIR
#
# The cluster trusts loopback connections only and listens on 127.0.0.1 with its unix socket inside DIR,
# so it never clashes with a system cluster. The role `kiln` (password `kiln`) is a plain login role with
# CREATEDB: not a superuser and without BYPASSRLS, so row-level security applies to it exactly as in
# production. Tests connect as postgres://kiln:kiln@127.0.0.1:PORT/postgres and create one database each.
#
# PostgreSQL refuses to run as root, so when run as root DIR is chowned to the `postgres` OS user and every
# server command runs as that user. DIR's parent directories must be traversable by it (/tmp is).
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_OS_USER="${PG_OS_USER:-postgres}"

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

# Runs a command as the cluster's OS user (or as ourselves when we are not root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

abs_dir() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}

stop_cluster() {
    local dir="$1"
    if [ -f "$dir/data/PG_VERSION" ]; then
        # Only fails when the server is not running, which is fine for a stop.
        as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$dir"
}

start_cluster() {
    local dir="$1" port="$2"
    case "$port" in
        '' | *[!0-9]*) echo "pg-test-cluster: PORT must be a number, got '$port'" >&2; exit 2 ;;
    esac

    if [ -e "$dir" ]; then
        echo "pg-test-cluster: $dir exists; stopping and wiping it first" >&2
        stop_cluster "$dir"
    fi

    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$PG_OS_USER": "$dir"
    fi
    chmod 700 "$dir"

    local data="$dir/data" log="$dir/postgres.log"
    # -A trust with no other auth lines: initdb only writes local and loopback (host 127.0.0.1/::1) entries.
    if ! as_pg "$PG_BIN/initdb" -D "$data" -U postgres -A trust --encoding=UTF8 --locale=C \
        >"$dir/initdb.log" 2>&1; then
        echo "pg-test-cluster: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        exit 1
    fi

    # Settings for a disposable cluster: durability off (fast) unless KILN_PG_DURABLE=1 (benchmarks measure with
    # production durability), enough connections for parallel suites.
    local durability=off
    [ "${KILN_PG_DURABLE:-0}" = "1" ] && durability=on
    cat >>"$data/postgresql.conf" <<EOF

# pg-test-cluster.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = $durability
synchronous_commit = $durability
full_page_writes = $durability
EOF

    if ! as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
        echo "pg-test-cluster: pg_ctl start failed:" >&2
        cat "$log" >&2 || true
        exit 1
    fi

    local ready=0
    for _ in $(seq 1 300); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
            ready=1
            break
        fi
        sleep 0.1
    done
    if [ "$ready" -ne 1 ]; then
        echo "pg-test-cluster: server on 127.0.0.1:$port did not become ready:" >&2
        cat "$log" >&2 || true
        exit 1
    fi

    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres <<'SQL'
CREATE ROLE kiln LOGIN PASSWORD 'kiln' CREATEDB NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOREPLICATION;
SQL

    echo "postgres://postgres@127.0.0.1:$port/postgres"
}

[ $# -ge 2 ] || usage
cmd="$1"
dir="$(abs_dir "$2")"
dir="${dir%/}"
if [ -z "$dir" ] || [ "$dir" = "/" ]; then
    echo "pg-test-cluster: refusing to use '$2' as the cluster directory" >&2
    exit 2
fi
case "$cmd" in
    start)
        [ $# -eq 3 ] || usage
        start_cluster "$dir" "$3"
        ;;
    stop)
        [ $# -eq 2 ] || usage
        stop_cluster "$dir"
        ;;
    *) usage ;;
esac

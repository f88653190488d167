#!/usr/bin/env bash
# The one command that runs every check CI runs (.ci/run execs it). Each suite runs once:
#   1. install missing build/test packages             scripts/install-deps.sh
#   2. build (GCC, Release -O2, -Werror, unity batches, benches too) into build/: it compiles everything as
#      shipped; a smoke run of the release binary (the Lifecycle suite on both backends) follows
#   3. build with clang, ASan+UBSan (-O1 -gline-tables-only, test code -O0, -Werror, unity batches, no benches)
#      into build-asan/ and run every
#      suite there with leak checking: unit, db_sqlite, db_postgres and the API suite, one ctest entry per test suite and backend
#      (api_sqlite.<Suite>, api_postgres.<Suite>), KILN_TEST_JOBS (3) at a time: the API suites mostly wait on
#      the servers they start
#   4. beside step 3's suites, in a lane of its own: clang-format --dry-run -Werror over src/ tests/ bench/,
#      clang-tidy over src/ (sources changed since .ci/tidy-baseline and the sources that include a changed
#      header; KILN_TIDY_ALL=1 for every source), then the libFuzzer targets of tests/fuzz (clang, ASan+UBSan),
#      each for KILN_FUZZ_SECONDS (20) from its seed corpus (scripts/fuzz.sh)
# A throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh) serves the PostgreSQL suites and is stopped on exit.
#
# Every step runs even when an earlier one failed (except tests of a build that failed); each prints its start
# time and duration, and a summary follows; the exit status is non-zero if anything failed.
#
# KILN_TEST_SKIP_ASAN=1 skips step 3 and runs the suites in the release tree instead, for quick local runs only. CI never sets it, and it is ignored when
# CI=true.
set -euo pipefail

cd "$(dirname "$0")/.."

PG_DIR="/tmp/kiln-pg-test-$$"
PG_STARTED=0

summary=()
failed=0
last_status=0

log() { printf '\n==> %s\n' "$*"; }

# run_step NAME COMMAND...: runs the command and records PASS/FAIL with its duration in the summary; a failure
# sets `failed`, so it always fails the run. The command's status is left in `last_status` for steps that
# depend on it.
run_step() {
    local name="$1"
    shift
    log "$name ($(date -u +%H:%M:%S))"
    local start=$SECONDS
    last_status=0
    "$@" || last_status=$?
    local took=$((SECONDS - start))
    if [ "$last_status" -eq 0 ]; then
        summary+=("PASS  $name (${took}s)")
    else
        summary+=("FAIL  $name (exit $last_status, ${took}s)")
        failed=1
    fi
}

skip_step() {
    summary+=("SKIP  $1 ($2)")
    log "$1: skipped ($2)"
}

cleanup() {
    if [ "$PG_STARTED" -eq 1 ]; then
        scripts/pg-test-cluster.sh stop "$PG_DIR" || echo "test.sh: could not stop the PostgreSQL test cluster in $PG_DIR" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the cluster on the first free port from 55432 up (a few attempts, in case a port is taken between the
# check and the start) and exports KILN_TEST_PG_URL.
start_postgres() {
    local port attempts=0
    for port in $(seq 55432 55531); do
        port_in_use "$port" && continue
        attempts=$((attempts + 1))
        if scripts/pg-test-cluster.sh start "$PG_DIR" "$port"; then
            PG_STARTED=1
            export KILN_TEST_PG_URL="postgres://kiln:kiln@127.0.0.1:$port/postgres"
            echo "KILN_TEST_PG_URL=$KILN_TEST_PG_URL"
            return 0
        fi
        [ "$attempts" -lt 3 ] || break
    done
    echo "test.sh: could not start a PostgreSQL test cluster" >&2
    # api_postgres then fails for want of a URL rather than using one inherited from the caller.
    unset KILN_TEST_PG_URL
    return 1
}

# The suites a build must register: a missing one (e.g. an empty source glob, or an API test suite the
# per-suite registration in tests/CMakeLists.txt did not find) is a failure, not a skip.
check_registered_tests() {
    local dir="$1" listed name suite missing=0
    listed="$(ctest --test-dir "$dir" -N)"
    for name in unit db_sqlite db_postgres; do
        if ! grep -Eq "Test +#[0-9]+: $name\$" <<<"$listed"; then
            echo "test.sh: ctest in $dir has no test named '$name'" >&2
            missing=1
        fi
    done
    # Every suite the API test binary holds has an entry per backend.
    while IFS= read -r suite; do
        for name in "api_sqlite.$suite" "api_postgres.$suite"; do
            if ! grep -Fxq "$name" < <(sed -nE 's/^ *Test +#[0-9]+: //p' <<<"$listed"); then
                echo "test.sh: ctest in $dir has no test named '$name'" >&2
                missing=1
            fi
        done
    done < <("$dir/tests/kiln_api_tests" --gtest_list_tests | sed -nE 's/^([A-Za-z0-9_]+\/)?([A-Za-z0-9_]+)\..*/\2/p' | sort -u)
    return "$missing"
}

run_ctest() {
    local dir="$1"
    shift
    check_registered_tests "$dir" || return 1
    ctest --test-dir "$dir" --output-on-failure --no-tests=error "$@"
}

# Exported for ctest, the test binaries and the kiln servers they start, which are checked too.
run_ctest_sanitized() {
    local -x ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    local -x UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    run_ctest build-asan -j "${KILN_TEST_JOBS:-3}"
}

configure_and_build() {
    local dir="$1"
    shift
    cmake -S . -B "$dir" -G Ninja "$@" && cmake --build "$dir"
}

check_format() {
    local files=()
    local dir
    for dir in src tests bench; do
        [ -d "$dir" ] || continue
        while IFS= read -r -d '' f; do
            files+=("$f")
        done < <(find "$dir" -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z)
    done
    if [ ${#files[@]} -eq 0 ]; then
        echo "no C++ sources to check"
        return 0
    fi
    echo "checking ${#files[@]} files"
    clang-format --dry-run -Werror "${files[@]}"
}

# clang-tidy over src/ with the repo's .clang-tidy (warnings are errors there). It needs a compile database
# without GCC's precompiled headers, which clang cannot read, so it gets a configure-only tree of its own.
# A full run takes most of CI's time budget on 2 cores, so CI checks the sources changed since the commit in
# .ci/tidy-baseline (every source was clean there: a session ends with a tidy run over what it changed and moves
# the baseline): each changed .cpp, and for each changed .hpp the .cpp next to it and every .cpp that includes
# it. A missing baseline or history means a full run.
tidy_targets() {
    local baseline
    baseline="$(cat .ci/tidy-baseline 2>/dev/null || true)"
    if [ "${KILN_TIDY_ALL:-0}" = "1" ] || [ -z "$baseline" ] || ! git cat-file -e "$baseline^{commit}" 2>/dev/null; then
        echo '^'"$(pwd)"'/src/'
        return
    fi
    local changed=() f
    while IFS= read -r f; do
        case "$f" in
            *.cpp) [ -f "$f" ] && changed+=("$f") ;;
            *.hpp)
                [ -f "${f%.hpp}.cpp" ] && changed+=("${f%.hpp}.cpp")
                # and every source that includes it directly
                while IFS= read -r includer; do
                    changed+=("$includer")
                done < <(grep -rlF --include='*.cpp' "#include \"${f#src/}\"" src || true)
                ;;
        esac
    done < <(git diff --name-only "$baseline" HEAD -- src; git diff --name-only -- src; git ls-files --others --exclude-standard src)
    if [ ${#changed[@]} -eq 0 ]; then
        echo ''
        return
    fi
    printf '%s\n' "${changed[@]}" | sort -u | sed "s|^|^$(pwd)/|; s|\$|\$|" | paste -sd'|'
}

check_tidy() {
    cmake -S . -B build-tidy -G Ninja -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON -DKILN_BUILD_TESTS=OFF >/dev/null
    ninja -C build-tidy generated/embedded_migrations.cpp >/dev/null
    local targets
    targets="$(tidy_targets)"
    if [ -z "$targets" ]; then
        echo "no source changed since the tidy baseline $(cat .ci/tidy-baseline)"
        return 0
    fi
    echo "clang-tidy on: $targets" | cut -c1-400
    run-clang-tidy -p build-tidy -quiet -j "$(nproc)" "$targets"
}

# 1. Packages. Without them nothing else can run.
run_step "install dependencies" scripts/install-deps.sh
if [ "$last_status" -ne 0 ]; then
    printf '  %s\n' "${summary[@]}"
    echo "test.sh: FAILED (could not install dependencies)"
    exit 1
fi

# The database the PostgreSQL suites use. If it does not start, they fail.
run_step "start PostgreSQL test cluster" start_postgres

skip_asan=0
if [ "${KILN_TEST_SKIP_ASAN:-0}" = "1" ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "test.sh: KILN_TEST_SKIP_ASAN is ignored in CI" >&2
    else
        skip_asan=1
    fi
fi

# 2. Regular build: everything as shipped, benches included; the suites themselves run once, in step 3 (or
# here when step 3 is skipped).
# Release without debug information and in unity batches (cmake/UnityBuild.cmake): this tree proves that GCC
# -Werror compiles everything and runs a smoke test; the suites run in the sanitizer tree, where the stack traces
# come from.
run_step "build (release)" configure_and_build build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DKILN_UNITY=ON -DKILN_WERROR=ON
if [ "$last_status" -ne 0 ]; then
    skip_step "tests (build)" "build failed"
elif [ "$skip_asan" -eq 1 ]; then
    run_step "tests (build)" run_ctest build -j "${KILN_TEST_JOBS:-3}"
else
    run_step "smoke (release binary)" ctest --test-dir build --output-on-failure --no-tests=error \
        -R '^api_(sqlite|postgres)\.Lifecycle$'
fi

# 3. Sanitizer build.
if [ "$skip_asan" -eq 1 ]; then
    skip_step "build (ASan+UBSan)" "KILN_TEST_SKIP_ASAN=1"
else
    # clang, not GCC: it builds this tree in about half of GCC's time (GCC 12 is slowest on the
    # instrumented debug information of the tests' large functions), and the two compilers' -Werror see
    # different things. Line tables are all the sanitizers' reports need (file:line in every frame).
    run_step "build (ASan+UBSan)" configure_and_build build-asan -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DKILN_SANITIZE=ON -DKILN_WERROR=ON \
        -DKILN_BUILD_BENCH=OFF -DKILN_UNITY=ON
fi
asan_built=$((skip_asan == 0 && last_status == 0))

# 4. Formatting, static analysis and fuzzing, in a lane of their own beside the sanitizer suites: the suites
# mostly wait on the servers they start, so on two cores the checks use the CPU they leave idle. The lane's
# output is printed after the suites'.
static_checks() {
    summary=()
    failed=0
    run_step "clang-format" check_format
    run_step "clang-tidy" check_tidy
    run_step "fuzz targets" scripts/fuzz.sh
    printf '%s\n' "${summary[@]}" >"$1"
    return "$failed"
}
lane_summary="$(mktemp)"
lane_log="$(mktemp)"
static_checks "$lane_summary" >"$lane_log" 2>&1 &
lane_pid=$!

if [ "$skip_asan" -eq 1 ]; then
    skip_step "tests (build-asan)" "KILN_TEST_SKIP_ASAN=1"
elif [ "$asan_built" -eq 1 ]; then
    run_step "tests (build-asan)" run_ctest_sanitized
else
    skip_step "tests (build-asan)" "build failed"
fi

lane_status=0
wait "$lane_pid" || lane_status=$?
cat "$lane_log"
while IFS= read -r line; do summary+=("$line"); done <"$lane_summary"
rm -f "$lane_summary" "$lane_log"
[ "$lane_status" -eq 0 ] || failed=1

printf '\n==> summary\n'
printf '  %s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
    echo "test.sh: FAILED"
    exit 1
fi
echo "test.sh: ALL PASSED"

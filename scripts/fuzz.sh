#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan+UBSan) into build-fuzz/ and runs each one for
# a fixed time from its seed corpus (tests/fuzz/corpus/<target>/). Any crash, leak, sanitizer report or
# failed property stops that target with a non-zero status, and this script fails.
#
#   scripts/fuzz.sh                 every target, KILN_FUZZ_SECONDS each (default 20)
#   scripts/fuzz.sh json_body       one target, by name without the _fuzzer suffix
#
# New inputs found during a run go to build-fuzz/corpus/<target>/ (not committed); reproduce a crash with
# `build-fuzz/<target> <crash-file>`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${KILN_FUZZ_SECONDS:-20}"
cmake -S tests/fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-fuzz

targets=()
if [ $# -gt 0 ]; then
    for name in "$@"; do targets+=("${name%_fuzzer}_fuzzer"); done
else
    for source in tests/fuzz/*_fuzzer.cpp; do targets+=("$(basename "${source%.cpp}")"); done
fi

failed=0
for target in "${targets[@]}"; do
    work="build-fuzz/corpus/$target"
    mkdir -p "$work" "build-fuzz/artifacts/$target"
    echo "==> $target (${seconds}s)"
    # The first corpus directory receives new inputs; the seeds are read only.
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "build-fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$target/" \
        "$work" "tests/fuzz/corpus/$target" 2>"build-fuzz/$target.log"; then
        echo "fuzz.sh: $target FAILED; its log:" >&2
        tail -n 60 "build-fuzz/$target.log" >&2
        failed=1
    else
        grep -E '^stat::number_of_executed_units|^stat::new_units_added' "build-fuzz/$target.log" | tr '\n' ' '
        echo
    fi
done
exit "$failed"

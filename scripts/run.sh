#!/usr/bin/env bash
# Installs what is missing, builds the kiln binary and starts `kiln serve`: embedded SQLite in
# ./kiln-data unless KILN_DATABASE_URL (or --database) names a PostgreSQL database. Extra
# arguments go to `kiln serve` (see `build/kiln serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target kiln
exec build/kiln serve "$@"

#!/usr/bin/env bash
# Rewrites the settings table of README.md (between the `<!-- settings: begin -->` and
# `<!-- settings: end -->` markers) from the registry: `kiln settings --markdown`. The unit test
# ProcessSettings.TheReadmeTableIsTheRegistrys fails until this has been run after a setting changed.
# Usage: scripts/settings-table.sh [path/to/kiln]   (default: build/kiln)
set -euo pipefail
cd "$(dirname "$0")/.."

kiln="${1:-build/kiln}"
table="$(mktemp)"
trap 'rm -f "$table" README.md.new' EXIT
"$kiln" settings --markdown >"$table"
awk -v table="$table" '
    /^<!-- settings: begin -->$/ { print; while ((getline line < table) > 0) print line; skipping = 1; next }
    /^<!-- settings: end -->$/ { skipping = 0 }
    !skipping { print }
' README.md >README.md.new
grep -q '^<!-- settings: end -->$' README.md.new || { echo "README.md has no settings markers" >&2; exit 1; }
mv README.md.new README.md

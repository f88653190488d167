#!/usr/bin/env bash
# Installs every Debian 12 package Kiln needs to build, run and test. Idempotent: packages
# already present are skipped, and apt is only touched when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  # HTTP server (RESTinio and what it is built on)
  librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev
  # outbound HTTP, databases, JSON, logging, metrics, crypto, CLI, config, plugins
  libcurl4-openssl-dev libpqxx-dev libpq-dev libsqlite3-dev nlohmann-json3-dev libvalijson-dev
  libspdlog-dev prometheus-cpp-dev libssl-dev libsodium-dev libcli11-dev libtomlplusplus-dev
  liblua5.4-dev
  # tests, benchmarks and the services the tests start
  libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 postgresql-15-partman wrk curl
  # the JSON Schema Test Suite: the draft-07 conformance test of the config validator (tests/unit)
  json-schema-test-suite
  # prometheus and promtool: the metrics tests scrape Kiln with a real Prometheus
  prometheus
  clang-format clang-tidy
  # fuzz targets (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

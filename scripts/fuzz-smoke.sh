#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in their own build directory and runs each one for a few
# seconds, seeded with the venue's fixtures. Exits non-zero when a build fails or a fuzzer finds a
# crash, a sanitizer report or a broken adapter contract.
#
# usage: scripts/fuzz-smoke.sh [SECONDS_PER_TARGET]    (default 3)
# Environment: NIMBUS_FUZZ_BUILD_DIR (default <repo>/build-fuzz), NIMBUS_FUZZ_JOBS (default 2).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NIMBUS_FUZZ_BUILD_DIR:-$repo/build-fuzz}
seconds=${1:-3}
jobs=${NIMBUS_FUZZ_JOBS:-2}
venues=(binance coinbase kraken bitstamp okx bybit gemini bitfinex kucoin gate htx cryptocom bitget
        mexc coingecko)

if ! command -v clang++ >/dev/null; then
  echo "fuzz-smoke: clang++ not found; install clang (see scripts/install-deps.sh)" >&2
  exit 1
fi

CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DNIMBUS_BUILD_FUZZ=ON \
  -DNIMBUS_BUILD_TESTS=ON -DNIMBUS_BUILD_BENCH=OFF >/dev/null
ninja -C "$build" -j "$jobs" nimbus_fuzzers

# New inputs go to a scratch corpus; the fixture folders are only read, so they stay untouched.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failed=()
for venue in "${venues[@]}"; do
  mkdir -p "$scratch/$venue"
  echo "fuzz-smoke: $venue for ${seconds}s"
  if ! (cd "$scratch" && "$build/tests/fuzz/fuzz_$venue" -max_total_time="$seconds" \
          -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
          "$scratch/$venue" "$repo/tests/fixtures/$venue" >"$scratch/$venue.log" 2>&1); then
    failed+=("$venue")
    tail -n 40 "$scratch/$venue.log" >&2
    # Keep the reproducer; libFuzzer writes crash-*, leak-* or timeout-* into the working folder.
    mkdir -p "$build/fuzz-findings"
    cp "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$build/fuzz-findings/" \
      2>/dev/null || true
  else
    grep -E "^stat::number_of_executed_units" "$scratch/$venue.log" || true
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz-smoke: FAILED for ${failed[*]}; reproducers in $build/fuzz-findings" >&2
  exit 1
fi
echo "fuzz-smoke: all ${#venues[@]} fuzz targets ran ${seconds}s without a finding"

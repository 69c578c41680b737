#!/usr/bin/env bash
# Builds the test suites with sanitizers and runs them.
# Usage: scripts/sanitize.sh address-undefined|thread
#
# The sanitizer builds skip the benchmarks; ctest runs every suite, the deploy validators
# included, because they start the real binary.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-address-undefined}
case $mode in
  address-undefined)
    sanitizers="address;undefined"
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    ;;
  thread)
    sanitizers="thread"
    # NOTE: the suppressions cover the uninstrumented Debian CAF library; whether they silence
    # every report from it has not been confirmed by a full ThreadSanitizer run.
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$repo_root/cmake/tsan.supp}
    ;;
  *)
    echo "sanitize.sh: unknown mode '$mode'; use address-undefined or thread" >&2
    exit 64
    ;;
esac

build_dir="$repo_root/build-$mode"
"$repo_root/scripts/build.sh" "$build_dir" -DNIMBUS_SANITIZE="$sanitizers" -DNIMBUS_BUILD_BENCH=OFF
(cd "$build_dir" && ctest --output-on-failure --parallel 2 --timeout 900)

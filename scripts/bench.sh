#!/usr/bin/env bash
# Builds Nimbus Signals in Release mode and runs every benchmark: the Google Benchmark
# micro-benchmarks (adapter parsing, aggregation, rendering, the actor pipeline), then the load
# benchmark against nginx (bench/load.sh). docs/benchmarks.md explains the figures and the targets.
#
# Usage: scripts/bench.sh [--build-dir DIR] [--results DIR] [--quick] [--micro-only | --load-only]
#   --build-dir   Release build folder (default build-bench/)
#   --results     where to write results (default BUILD_DIR/bench-results/<UTC time>)
#   --quick       a short smoke run (1 repetition, 2 rounds of 3 s); its numbers are not results
#   --micro-only  run only the micro-benchmarks; --load-only runs only the load benchmark
# All traffic stays on 127.0.0.1. The full run takes about 12 minutes on 2 cores. Run it on a
# quiet machine: other work on the same cores changes every figure.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=$repo_root/build-bench
results_dir=""
quick=false
run_micro=true
run_load=true

usage() {
  sed -n '6,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir=${2:?--build-dir needs a folder}; shift 2 ;;
    --results) results_dir=${2:?--results needs a folder}; shift 2 ;;
    --quick) quick=true; shift ;;
    --micro-only) run_load=false; shift ;;
    --load-only) run_micro=false; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
results_dir=${results_dir:-$build_dir/bench-results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$results_dir"

# -- build ----------------------------------------------------------------------------------------

# The exchange simulator is built with the tests, so they stay on.
cmake -S "$repo_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DNIMBUS_BUILD_TESTS=ON -DNIMBUS_BUILD_BENCH=ON >/dev/null
ninja -C "$build_dir" -j "${NIMBUS_BUILD_JOBS:-2}" nimbus-signals exchange-simulator \
  adapter_parse_bench aggregation_bench render_bench pipeline_actors_bench \
  nimbus-bench-market nimbus-bench-startup

# -- machine --------------------------------------------------------------------------------------

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "compiler: $(c++ --version | head -1)"
  echo "nginx: $(nginx -v 2>&1)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results_dir/machine.txt"

# -- micro-benchmarks -----------------------------------------------------------------------------

if $run_micro; then
  repetitions=5
  extra=()
  if $quick; then
    repetitions=1
    extra=(--benchmark_min_time=0.1)
  fi
  for bench in adapter_parse_bench aggregation_bench render_bench pipeline_actors_bench; do
    echo "== $bench"
    "$build_dir/bench/$bench" --benchmark_repetitions="$repetitions" \
      --benchmark_report_aggregates_only=true \
      --benchmark_out="$results_dir/$bench.json" --benchmark_out_format=json "${extra[@]}" \
      | tee "$results_dir/$bench.txt"
  done
fi

# -- load benchmark -------------------------------------------------------------------------------

if $run_load; then
  load_options=()
  if $quick; then
    load_options=(--rounds 2 --duration 3 --scale-rounds 1)
  fi
  "$repo_root/bench/load.sh" --build-dir "$build_dir" --results "$results_dir" \
    "${load_options[@]}"
  python3 "$repo_root/bench/load_report.py" "$results_dir/measurements.tsv" \
    | tee "$results_dir/summary.md"
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results_dir/machine.txt"
echo "Results: $results_dir"

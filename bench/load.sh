#!/usr/bin/env bash
# Load benchmark of nimbus-signals against nginx on 127.0.0.1. Called by scripts/bench.sh, which
# builds the binaries first; run it directly only with an existing Release build.
#
# Usage: bench/load.sh --build-dir DIR --results DIR [--rounds N] [--duration S]
#                      [--connections C] [--threads T] [--scale-rounds N]
#   --rounds        wrk rounds per comparison with nginx (default 5)
#   --duration      seconds per wrk round (default 10)
#   --connections   wrk connections (default 32)
#   --threads       wrk threads (default 2)
#   --scale-rounds  wrk rounds per target in the 4-pair and 50-pair markets (default 3)
#
# Steps:
#   1. Default config: exchange-simulator (demo scenario) plays every venue, and the service runs
#      config/nimbus.yaml with each venue's base_url pointing at it. After the idle RSS, wrk calls
#      GET /v1/prices/BTC-USD on the service and on nginx serving the same bytes, in alternation.
#      Then wrk calls GET /v1/prices and GET /metrics. RSS is sampled under load throughout.
#   2. Start-up time: nimbus-bench-startup starts the service repeatedly and times the first
#      accepted connect(); the service's own startup_ms log field is recorded beside it.
#   3. Scale: nimbus-bench-market serves 4 pairs and then 50 pairs on 12 venues; idle RSS, RSS
#      under load and wrk throughput for each.
# Every measurement goes to RESULTS/measurements.tsv and wrk's own output to RESULTS/wrk/.
# Every process started here is stopped by PID on exit.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=""
results_dir=""
rounds=5
duration=10
connections=32
wrk_threads=2
scale_rounds=3

usage() {
  sed -n '5,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir=${2:?--build-dir needs a folder}; shift 2 ;;
    --results) results_dir=${2:?--results needs a folder}; shift 2 ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
    --duration) duration=${2:?--duration needs seconds}; shift 2 ;;
    --connections) connections=${2:?--connections needs a number}; shift 2 ;;
    --threads) wrk_threads=${2:?--threads needs a number}; shift 2 ;;
    --scale-rounds) scale_rounds=${2:?--scale-rounds needs a number}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "load.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ -z $build_dir || -z $results_dir ]]; then
  echo "load.sh: --build-dir and --results are required" >&2
  usage >&2
  exit 2
fi
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || {
    echo "load.sh: $tool not found; run scripts/install-deps.sh" >&2
    exit 1
  }
done

service_binary=$build_dir/nimbus-signals
simulator_binary=$build_dir/exchange-simulator
market_binary=$build_dir/bench/nimbus-bench-market
startup_binary=$build_dir/bench/nimbus-bench-startup
for binary in "$service_binary" "$simulator_binary" "$market_binary" "$startup_binary"; do
  [[ -x $binary ]] || {
    echo "load.sh: $binary is missing; build with scripts/bench.sh" >&2
    exit 1
  }
done

mkdir -p "$results_dir/wrk"
measurements=$results_dir/measurements.tsv
printf 'scenario\tmetric\tround\tvalue\tunit\n' >"$measurements"

# nginx workers run as nobody when started by root, so the temporary tree must be world-readable.
work_dir=$(mktemp -d -t nimbus-bench.XXXXXX)
chmod 755 "$work_dir"
started_pids=()

# -- process handling ----------------------------------------------------------------------------

stop_pid() {
  local pid=$1
  if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  # The service exits within 5 s of SIGTERM; SIGKILL after 10 s keeps the script bounded.
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "load.sh: PID $pid ignored SIGTERM for 10 s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local i
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    stop_pid "${started_pids[i]}"
  done
  rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits up to 20 s for a file that a process writes once it listens.
wait_for_file() {
  local file=$1 pid=$2 name=$3
  for _ in $(seq 200); do
    [[ -s $file ]] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "load.sh: $name exited before listening; see $results_dir/logs" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "load.sh: $name wrote no $file within 20 s" >&2
  exit 1
}

# Waits up to `timeout` seconds until `url` returns HTTP 200.
wait_for_200() {
  local url=$1 timeout=$2
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url") == 200 ]]; then
      return 0
    fi
    sleep 0.2
  done
  echo "load.sh: $url did not return 200 within $timeout s" >&2
  return 1
}

# Resident set size in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# User plus system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

record() {
  printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$measurements"
}

# -- wrk ------------------------------------------------------------------------------------------

# Converts wrk's "158.00us", "1.07ms" or "2.00s" to milliseconds.
to_ms() {
  awk -v text="$1" 'BEGIN {
    value = text + 0
    if (text ~ /us$/) value /= 1000
    else if (text ~ /ms$/) value *= 1
    else if (text ~ /s$/) value *= 1000
    printf "%.4f", value
  }'
}

# Runs wrk against url while sampling the RSS of rss_pid (0 for none) and summing the CPU time of
# cpu_pids. Sets wrk_rps, wrk_p50_ms, wrk_p99_ms, wrk_errors, wrk_max_rss_kib, wrk_cpu_seconds.
run_wrk() {
  local url=$1 output=$2 rss_pid=$3
  shift 3
  local cpu_pids=("$@") pid ticks_before=0 ticks_after=0
  for pid in "${cpu_pids[@]}"; do ticks_before=$((ticks_before + $(cpu_ticks "$pid"))); done

  wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --latency "$url" >"$output" 2>&1 &
  local wrk_pid=$!
  started_pids+=("$wrk_pid")
  wrk_max_rss_kib=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    if [[ $rss_pid != 0 ]]; then
      local rss
      rss=$(rss_kib "$rss_pid")
      ((rss > wrk_max_rss_kib)) && wrk_max_rss_kib=$rss
    fi
    sleep 0.25
  done
  wait "$wrk_pid" || {
    echo "load.sh: wrk failed on $url; see $output" >&2
    exit 1
  }

  for pid in "${cpu_pids[@]}"; do ticks_after=$((ticks_after + $(cpu_ticks "$pid"))); done
  wrk_cpu_seconds=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", t / hz }')
  wrk_rps=$(awk '/^Requests\/sec:/ { print $2 }' "$output")
  wrk_p50_ms=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$output")")
  wrk_p99_ms=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$output")")
  wrk_errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
                    END { print n + 0 }' "$output")
  if [[ -z $wrk_rps ]]; then
    echo "load.sh: no Requests/sec in wrk output $output" >&2
    exit 1
  fi
}

# Records one wrk round of the service under `scenario` with metric prefix `name`.
record_service_round() {
  local scenario=$1 name=$2 round=$3
  record "$scenario" "${name}_rps" "$round" "$wrk_rps" "requests/s"
  record "$scenario" "${name}_p50" "$round" "$wrk_p50_ms" "ms"
  record "$scenario" "${name}_p99" "$round" "$wrk_p99_ms" "ms"
  record "$scenario" "${name}_errors" "$round" "$wrk_errors" "responses"
  record "$scenario" "${name}_server_cpu" "$round" "$wrk_cpu_seconds" "CPU s"
  record "$scenario" "rss_under_load" "$round" "$wrk_max_rss_kib" "KiB"
}

# -- service and simulators -----------------------------------------------------------------------

mkdir -p "$results_dir/logs"

start_service() {
  local config=$1 log=$2
  rm -f "$work_dir/service.port"
  "$service_binary" --config "$config" --listen 127.0.0.1:0 --port-file "$work_dir/service.port" \
    >"$log" 2>&1 &
  service_pid=$!
  started_pids+=("$service_pid")
  wait_for_file "$work_dir/service.port" "$service_pid" nimbus-signals
  service_url=http://127.0.0.1:$(cat "$work_dir/service.port")
  wait_for_200 "$service_url/readyz" 60
}

# Idle RSS: the largest of 10 samples over 5 s after a 5 s settle, while the service polls the
# venues and no client calls it. The CPU it uses meanwhile is the cost of polling and aggregating.
measure_idle() {
  local scenario=$1 max=0 rss ticks_before started cpu_percent
  sleep 5
  ticks_before=$(cpu_ticks "$service_pid")
  started=$(date +%s.%N)
  for _ in $(seq 10); do
    rss=$(rss_kib "$service_pid")
    ((rss > max)) && max=$rss
    sleep 0.5
  done
  cpu_percent=$(awk -v t=$(($(cpu_ticks "$service_pid") - ticks_before)) \
    -v hz="$(getconf CLK_TCK)" -v started="$started" -v now="$(date +%s.%N)" \
    'BEGIN { printf "%.1f", t / hz / (now - started) * 100 }')
  record "$scenario" rss_idle 1 "$max" KiB
  record "$scenario" cpu_idle 1 "$cpu_percent" "% of one core"
  echo "  idle: RSS $max KiB, CPU $cpu_percent% of one core"
}

# The repository config, with each venue's base_url pointing at the simulator. Every other key,
# per-venue pairs and poll intervals included, stays as shipped.
write_default_config() {
  local simulator_url=$1 output=$2
  awk -v base="$simulator_url" '
    /^venues:/ { in_venues = 1; print; next }
    in_venues && /^[^ \t#]/ { in_venues = 0 }
    in_venues && match($0, /^  [a-z]+: *\{\} *$/) {
      split($0, parts, ":"); name = substr(parts[1], 3)
      printf "  %s: {base_url: \"%s/%s\"}\n", name, base, name; next
    }
    in_venues && match($0, /^  [a-z]+: *$/) {
      print; split($0, parts, ":"); name = substr(parts[1], 3)
      printf "    base_url: \"%s/%s\"\n", base, name; next
    }
    { print }' "$repo_root/config/nimbus.yaml" >"$output"
}

# The repository config with its venues section replaced by the market simulator's.
write_market_config() {
  local venues_yaml=$1 output=$2
  {
    awk '/^venues:/ { skip = 1; next } skip && /^[^ \t#]/ { skip = 0 } !skip' \
      "$repo_root/config/nimbus.yaml"
    cat "$venues_yaml"
  } >"$output"
}

# -- nginx ----------------------------------------------------------------------------------------

# Serves `body_file` at /v1/prices/BTC-USD with `content_type`. worker_processes 2 matches the
# service's two HTTP server threads; keepalive_requests matches its 10,000 requests per connection.
start_nginx() {
  local body_file=$1 content_type=$2 port=$3
  local root=$work_dir/nginx
  mkdir -p "$root/html/v1/prices" "$root/tmp"
  cp "$body_file" "$root/html/v1/prices/BTC-USD"
  chmod -R a+rX "$root"
  cat >"$root/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $root/nginx.pid;
error_log $root/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 10000;
  client_body_temp_path $root/tmp/body;
  proxy_temp_path $root/tmp/proxy;
  fastcgi_temp_path $root/tmp/fastcgi;
  uwsgi_temp_path $root/tmp/uwsgi;
  scgi_temp_path $root/tmp/scgi;
  types { }
  server {
    listen 127.0.0.1:$port;
    root $root/html;
    location = /v1/prices/BTC-USD {
      default_type "$content_type";
      add_header Cache-Control no-store;
    }
  }
}
EOF
  nginx -p "$root" -c "$root/nginx.conf" -e "$root/error.log" >"$results_dir/logs/nginx.log" 2>&1 &
  nginx_pid=$!
  started_pids+=("$nginx_pid")
  nginx_url=http://127.0.0.1:$port
  wait_for_200 "$nginx_url/v1/prices/BTC-USD" 10
  nginx_workers=()
  local worker
  for worker in $(ps -o pid= --ppid "$nginx_pid"); do nginx_workers+=("$worker"); done
}

# -- 1. default config against nginx --------------------------------------------------------------

echo "== default config: exchange-simulator demo scenario, config/nimbus.yaml"
"$simulator_binary" --listen 127.0.0.1:0 --scenario demo --port-file "$work_dir/simulator.port" \
  >"$results_dir/logs/exchange-simulator.log" 2>&1 &
simulator_pid=$!
started_pids+=("$simulator_pid")
wait_for_file "$work_dir/simulator.port" "$simulator_pid" exchange-simulator
default_config=$work_dir/nimbus-default.yaml
write_default_config "http://127.0.0.1:$(cat "$work_dir/simulator.port")" "$default_config"
cp "$default_config" "$results_dir/logs/nimbus-default.yaml"

start_service "$default_config" "$results_dir/logs/service-default.log"
echo "  service ready at $service_url (PID $service_pid)"
measure_idle default

curl -s -D "$work_dir/pair.headers" -o "$work_dir/pair.body" "$service_url/v1/prices/BTC-USD"
content_type=$(awk -F': ' 'tolower($1) == "content-type" { sub(/\r$/, "", $2); print $2 }' \
  "$work_dir/pair.headers")
cp "$work_dir/pair.body" "$results_dir/logs/btc-usd.json"
start_nginx "$work_dir/pair.body" "$content_type" "$("$startup_binary" --free-port)"
echo "  nginx ready at $nginx_url (PID $nginx_pid, workers ${nginx_workers[*]})," \
  "serving $(wc -c <"$work_dir/pair.body") bytes as $content_type"

echo "  GET /v1/prices/BTC-USD, $rounds rounds of $duration s, $connections connections," \
  "$wrk_threads wrk threads"
for round in $(seq "$rounds"); do
  run_wrk "$service_url/v1/prices/BTC-USD" "$results_dir/wrk/default_pair_service_r$round.txt" \
    "$service_pid" "$service_pid"
  record_service_round default pair "$round"
  service_rps=$wrk_rps service_p99=$wrk_p99_ms

  run_wrk "$nginx_url/v1/prices/BTC-USD" "$results_dir/wrk/default_pair_nginx_r$round.txt" 0 \
    "$nginx_pid" "${nginx_workers[@]}"
  record default nginx_pair_rps "$round" "$wrk_rps" "requests/s"
  record default nginx_pair_p50 "$round" "$wrk_p50_ms" ms
  record default nginx_pair_p99 "$round" "$wrk_p99_ms" ms
  record default nginx_pair_server_cpu "$round" "$wrk_cpu_seconds" "CPU s"
  ratio=$(awk -v a="$service_rps" -v b="$wrk_rps" 'BEGIN { printf "%.3f", a / b }')
  record default ratio_to_nginx "$round" "$ratio" ratio
  echo "  round $round: service $service_rps req/s (p99 $service_p99 ms)," \
    "nginx $wrk_rps req/s (p99 $wrk_p99_ms ms), ratio $ratio"
done
stop_pid "$nginx_pid"
ratios=$(awk -F'\t' '$2 == "ratio_to_nginx" { print $4 }' "$measurements" | sort -n)
echo "  median ratio to nginx: $(echo "$ratios" | awk '{ v[NR] = $1 } END {
  print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"

for target in prices metrics; do
  path=/v1/prices
  [[ $target == metrics ]] && path=/metrics
  for round in $(seq "$scale_rounds"); do
    run_wrk "$service_url$path" "$results_dir/wrk/default_${target}_service_r$round.txt" \
      "$service_pid" "$service_pid"
    record_service_round default "$target" "$round"
    echo "  GET $path round $round: $wrk_rps req/s, p50 $wrk_p50_ms ms, p99 $wrk_p99_ms ms"
  done
done
record default rss_peak 1 "$(peak_rss_kib "$service_pid")" KiB
echo "  peak RSS (VmHWM): $(peak_rss_kib "$service_pid") KiB"
stop_pid "$service_pid"

# -- 2. start-up time -----------------------------------------------------------------------------

echo "== start-up: fork and exec to the first accepted connect(), 11 runs"
"$startup_binary" --runs 11 --child-log "$results_dir/logs/service-startup.log" -- \
  "$service_binary" --config "$default_config" --listen "127.0.0.1:{port}" \
  | tee "$results_dir/startup.txt"
awk '/^run/ { sub(/ ms$/, ""); print $2, $3 }' "$results_dir/startup.txt" \
  | while read -r run value; do record startup start_to_accept "${run%:}" "$value" ms; done
grep -o '"startup_ms":[0-9.]*' "$results_dir/logs/service-startup.log" | cut -d: -f2 \
  | awk '{ print NR, $1 }' \
  | while read -r run value; do record startup service_startup_ms "$run" "$value" ms; done
stop_pid "$simulator_pid"

# -- 3. 4 pairs against 50 pairs on 12 venues -----------------------------------------------------

for pair_count in 4 50; do
  scenario=market_${pair_count}x12
  echo "== $scenario: nimbus-bench-market, $pair_count pairs on 12 venues"
  rm -f "$work_dir/market.port"
  "$market_binary" --pairs "$pair_count" --venues 12 --port-file "$work_dir/market.port" \
    --venues-yaml "$work_dir/market-venues.yaml" >"$results_dir/logs/$scenario-market.log" 2>&1 &
  market_pid=$!
  started_pids+=("$market_pid")
  wait_for_file "$work_dir/market.port" "$market_pid" nimbus-bench-market
  write_market_config "$work_dir/market-venues.yaml" "$work_dir/$scenario.yaml"
  cp "$work_dir/$scenario.yaml" "$results_dir/logs/$scenario.yaml"

  start_service "$work_dir/$scenario.yaml" "$results_dir/logs/service-$scenario.log"
  measure_idle "$scenario"
  for target in pair prices; do
    path=/v1/prices
    [[ $target == pair ]] && path=/v1/prices/BTC-USD
    for round in $(seq "$scale_rounds"); do
      run_wrk "$service_url$path" "$results_dir/wrk/${scenario}_${target}_r$round.txt" \
        "$service_pid" "$service_pid"
      record_service_round "$scenario" "$target" "$round"
      echo "  GET $path round $round: $wrk_rps req/s, p99 $wrk_p99_ms ms," \
        "RSS $wrk_max_rss_kib KiB"
    done
  done
  record "$scenario" rss_peak 1 "$(peak_rss_kib "$service_pid")" KiB
  stop_pid "$service_pid"
  stop_pid "$market_pid"
done

echo "== measurements: $measurements"

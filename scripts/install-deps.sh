#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing Nimbus Signals needs.
# Idempotent: apt-get skips packages that are already installed, so rerunning is safe.
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev
  libcaf-dev
  libcurl4-openssl-dev
  libsimdjson-dev
  libboost1.81-dev
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev
)

test_packages=(
  prometheus
  python3
  python3-yaml
  curl
)

bench_packages=(
  nginx-light
  wrk
)

if [[ $EUID -ne 0 ]]; then
  sudo_cmd=(sudo)
else
  sudo_cmd=()
fi

export DEBIAN_FRONTEND=noninteractive

# A fresh machine has no package lists; refresh them when they are missing or older than a day.
newest_list=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mmin -1440 -print -quit 2>/dev/null || true)
if [[ -z $newest_list ]]; then
  "${sudo_cmd[@]}" apt-get update -q
fi

"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
  "${build_packages[@]}" "${test_packages[@]}" "${bench_packages[@]}"

# kubectl, Node.js 20 and npm come with the machine image rather than Debian 12's archive, so they
# are checked here instead of installed.
for tool in kubectl node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "install-deps: $tool not found; the deploy validators need it on PATH" >&2
  fi
done

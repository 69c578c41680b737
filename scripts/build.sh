#!/usr/bin/env bash
# Configures and builds Nimbus Signals into a build directory (default: build/).
# Usage: scripts/build.sh [BUILD_DIR] [extra cmake arguments...]
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-"$repo_root/build"}
shift || true

cmake -S "$repo_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
# Two jobs fit the 2-core, 24 GiB development machine; NIMBUS_BUILD_JOBS overrides.
cmake --build "$build_dir" --parallel "${NIMBUS_BUILD_JOBS:-2}"

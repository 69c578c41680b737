#!/usr/bin/env bash
# Installs the dependencies, builds the service and starts it on the default configuration,
# polling the real public venue APIs. Extra arguments go to nimbus-signals (see --help).
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
"$repo_root/scripts/install-deps.sh"
# Only the service is built, in the shared build/ folder with its default options, so the
# offline demo and the test command find that folder as they expect it.
cmake -S "$repo_root" -B "$repo_root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$repo_root/build" --target nimbus-signals --parallel "${NIMBUS_BUILD_JOBS:-2}"
exec "$repo_root/build/nimbus-signals" --config "$repo_root/config/nimbus.yaml" "$@"

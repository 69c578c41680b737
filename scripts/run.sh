#!/usr/bin/env bash
# Installs the dependencies, builds the service and starts it on the default configuration,
# polling the real public venue APIs. Extra arguments go to nimbus-signals (see --help).
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
"$repo_root/scripts/install-deps.sh"
"$repo_root/scripts/build.sh" "$repo_root/build" -DNIMBUS_BUILD_TESTS=OFF -DNIMBUS_BUILD_BENCH=OFF
exec "$repo_root/build/nimbus-signals" --config "$repo_root/config/nimbus.yaml" "$@"

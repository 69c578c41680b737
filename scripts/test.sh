#!/usr/bin/env bash
# Installs the dependencies, builds everything and runs the whole test suite: unit, adapter,
# simulator, end-to-end, fault-injection, observability (real Prometheus) and deploy validation
# tests through ctest, then the fuzz smoke runs and the sanitizer build.
#
# Environment:
#   NIMBUS_SKIP_INSTALL=1   do not run scripts/install-deps.sh (the packages are already there)
#   NIMBUS_SANITIZERS=0     skip the AddressSanitizer + UndefinedBehaviorSanitizer suite
#   NIMBUS_FUZZ=0           skip the libFuzzer smoke runs
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

if [[ ${NIMBUS_SKIP_INSTALL:-0} != 1 ]]; then
  scripts/install-deps.sh
fi
if [[ -x scripts/validate-deploy.sh ]]; then
  scripts/validate-deploy.sh --install-only
fi

scripts/build.sh build
(cd build && ctest --output-on-failure --parallel 2 --timeout 600)

if [[ ${NIMBUS_FUZZ:-1} != 0 && -x scripts/fuzz-smoke.sh ]]; then
  scripts/fuzz-smoke.sh
fi

if [[ ${NIMBUS_SANITIZERS:-1} != 0 ]]; then
  scripts/sanitize.sh address-undefined
fi

#!/usr/bin/env bash
# Installs the dependencies, builds everything with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs the whole test suite through ctest: unit, adapter, simulator, end-to-end,
# fault-injection, observability (real Prometheus) and deploy validation tests. Then it runs the
# libFuzzer smoke runs. One sanitized build serves every suite, which keeps the command within
# about half an hour on two cores; the ThreadSanitizer suite is scripts/sanitize.sh thread.
#
# Environment:
#   NIMBUS_SKIP_INSTALL=1   do not run scripts/install-deps.sh (the packages are already there)
#   NIMBUS_SANITIZERS=0     build without sanitizers (faster, for iterating)
#   NIMBUS_FUZZ=0           skip the libFuzzer smoke runs
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

if [[ ${NIMBUS_SKIP_INSTALL:-0} != 1 ]]; then
  scripts/install-deps.sh
fi
scripts/validate-deploy.sh --install-only

if [[ ${NIMBUS_SANITIZERS:-1} != 0 ]]; then
  scripts/sanitize.sh address-undefined
else
  scripts/build.sh build
  (cd build && ctest --output-on-failure --parallel 2 --timeout 600)
fi

if [[ ${NIMBUS_FUZZ:-1} != 0 ]]; then
  scripts/fuzz-smoke.sh
fi
